/// Numbers written for people: fixed decimals so columns line up, short forms for the
/// very large and very small, and `nan`/`inf` spelled out.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point (no Foundation formatting,
    /// so the output is the same everywhere).
    public static func fixed(_ value: Float, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if Swift.abs(value) >= 1e7 { return scientific(value) }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (Double(Swift.abs(value)) * scale).rounded()
        let negative = value < 0 && scaled != 0
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var text = String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return negative ? "-" + text : text
    }

    /// The longest `fixed(v, decimals:)` among `values`, without writing each one out: a
    /// heatmap draws at most a window of a large matrix but lines up its cells by the
    /// widest number of all (formatting all of a (1000, 1000) matrix to draw 40 rows of it
    /// took most of the time). Below 1e7 the text grows with |v| for each sign (a negative
    /// that rounds to 0 loses its sign, and is shorter still); NaN, ±inf and the scientific
    /// form each have one length, so one value of each kind stands for all of its kind.
    public static func widestFixed(_ values: [Float], decimals: Int) -> Int {
        var largestPositive: Float = -1, largestNegative: Float = 1
        var representatives: [Float] = []
        var seenNaN = false, seenInfinity = false, seenMinusInfinity = false, seenBig = false, seenMinusBig = false
        for v in values {
            if v.isNaN {
                if !seenNaN { seenNaN = true; representatives.append(v) }
            } else if v.isInfinite {
                if v > 0, !seenInfinity { seenInfinity = true; representatives.append(v) }
                if v < 0, !seenMinusInfinity { seenMinusInfinity = true; representatives.append(v) }
            } else if Swift.abs(v) >= 1e7 {
                if v > 0, !seenBig { seenBig = true; representatives.append(v) }
                if v < 0, !seenMinusBig { seenMinusBig = true; representatives.append(v) }
            } else if v < 0 {
                largestNegative = Swift.min(largestNegative, v)
            } else {
                largestPositive = Swift.max(largestPositive, v)
            }
        }
        if largestPositive >= 0 { representatives.append(largestPositive) }
        if largestNegative < 0 { representatives.append(largestNegative) }
        return representatives.map { fixed($0, decimals: decimals).count }.max() ?? 0
    }

    /// One significant digit and an exponent: `1e-05`, `-3e+08`, as Swift would print
    /// them but shorter.
    public static func scientific(_ value: Float) -> String {
        if value == 0 { return "0" }
        var exponent = 0
        var mantissa = Double(Swift.abs(value))
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        var digit = Int(mantissa.rounded())
        if digit == 10 { digit = 1; exponent += 1 }
        let sign = exponent < 0 ? "-" : "+"
        let e = Swift.abs(exponent)
        return (value < 0 ? "-" : "") + "\(digit)e\(sign)\(e < 10 ? "0" : "")\(e)"
    }

    /// Decimals that show a set of values in about five characters each: 2 for the usual
    /// range of activations and probabilities, fewer as magnitudes grow.
    public static func decimals(for values: some Sequence<Float>) -> Int {
        let largest = values.reduce(Float(0)) { $1.isFinite ? Swift.max($0, Swift.abs($1)) : $0 }
        if largest >= 100 { return 0 }
        if largest >= 10 { return 1 }
        return 2
    }

    /// A single value in its most readable short form (for formulas and summaries).
    public static func short(_ value: Float) -> String {
        let a = Swift.abs(value)
        if value == 0 || value.isNaN || value.isInfinite { return fixed(value, decimals: 0) }
        if a < 0.001 || a >= 1e6 { return scientific(value) }
        if a >= 100 { return fixed(value, decimals: 1) }
        if a >= 1 { return fixed(value, decimals: 3) }
        return fixed(value, decimals: 4)
    }
}
