import RealModule

/// The project's one source of randomness: SplitMix64 (Steele, Lea & Flood 2014), the
/// generator Java's `SplittableRandom` uses. 64 bits of state, one add and three
/// xor-shift-multiply rounds per draw; no system randomness anywhere.
///
/// The same seed gives the same stream on every machine. Floats are made from integer
/// bits (uniform) and from the Box–Muller transform computed in Double and rounded once
/// to Float (normal), so the only platform dependence left is libm's `log`, `cos` and
/// `sin` in Double, whose last-bit differences survive rounding to Float with
/// probability about 2⁻²⁹ per value.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    /// The second value of the last Box–Muller pair, handed out by the next `normal()`.
    private var spareNormal: Double?

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1): the top 24 bits of a draw, scaled — every Float this can return
    /// is equally likely and exactly representable.
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform on [0, 1) with 53 bits, for the normal transform.
    mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller): each pair of uniforms u₁, u₂ gives
    /// √(−2 ln u₁)·cos(2πu₂) and then √(−2 ln u₁)·sin(2πu₂).
    public mutating func normal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return Float(spare)
        }
        let u1 = 1 - uniformDouble()  // (0, 1]: log never sees 0
        let u2 = uniformDouble()
        let r = (-2 * Double.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = r * Double.sin(angle)
        return Float(r * Double.cos(angle))
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift with rejection, so there is
    /// no modulo bias). A bound of 1 or less gives 0.
    public mutating func int(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let b = UInt64(bound)
        let threshold = (0 &- b) % b
        while true {
            let product = next().multipliedFullWidth(by: b)
            if product.low >= threshold { return Int(product.high) }
        }
    }
}
