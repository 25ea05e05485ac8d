import RealModule

/// Elementwise functions of two tensors with NumPy broadcasting, and their gradients
/// (each summed back to its operand's shape).
protocol BinaryKernel {
    static func f(_ a: Float, _ b: Float) -> Float
}

enum Add: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a + b } }
enum Subtract: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a - b } }
enum Multiply: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a * b } }
enum Divide: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a / b } }
/// a^b, with a negative base allowed for whole exponents ((−2)² = 4), as in NumPy.
enum Power: BinaryKernel {
    static func f(_ a: Float, _ b: Float) -> Float {
        if b == b.rounded(), Swift.abs(b) <= 16_777_216 { return .pow(a, Int(b)) }
        return .pow(a, b)
    }
}
enum Maximum: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a >= b ? a : b } }
enum Minimum: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a <= b ? a : b } }
enum Equal: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
enum NotEqual: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 } }
enum Less: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
enum LessEqual: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }
enum Greater: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
enum GreaterEqual: BinaryKernel { static func f(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }

/// ∂(a^b)/∂a = b·a^(b−1), taken as 0 for b = 0 (a⁰ is constant, also at a = 0).
enum PowerBaseSlope: BinaryKernel {
    static func f(_ a: Float, _ b: Float) -> Float { b == 0 ? 0 : b * Power.f(a, b - 1) }
}

/// ∂(a^b)/∂b = a^b · ln a; taken as 0 where a ≤ 0 and a^b is 0 (0^b for b > 0).
enum PowerExponentSlope: BinaryKernel {
    static func f(_ a: Float, _ y: Float) -> Float { y == 0 ? 0 : y * .log(a) }
}

/// Share of the gradient that `maximum`/`minimum` sends to the first operand: 1 where it
/// won, ½ on a tie (so the two shares add up to 1), 0 where it lost.
enum WinnerShare: BinaryKernel {
    static func f(_ a: Float, _ y: Float) -> Float { a == y ? 1 : 0 }
}

extension Tensor {
    /// Applies `K` elementwise with broadcasting; no autograd.
    func combine<K: BinaryKernel>(_ other: Tensor, _: K.Type, op: String) throws -> Tensor {
        let a = self, b = other
        if a.shape == b.shape {
            let n = a.count
            let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
                a.scalars.withUnsafeBufferPointer { x in
                    b.scalars.withUnsafeBufferPointer { y in
                        for i in 0..<n { buffer[i] = K.f(x[i], y[i]) }
                    }
                }
                initialized = n
            }
            return Tensor(unchecked: a.shape, out)
        }
        let outShape = try Shape.broadcast(a.shape, b.shape, op: op)
        try Shape.validate(outShape, op: op)
        if let fast = Self.combineRepeating(a, b, K.self, outShape: outShape) { return fast }
        let walk = BroadcastWalk(a.shape, b.shape, out: outShape)
        let n = Shape.count(outShape)
        let length = walk.rowLength, sa = walk.rowStrideA, sb = walk.rowStrideB
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            a.scalars.withUnsafeBufferPointer { x in
                b.scalars.withUnsafeBufferPointer { y in
                    walk.forEachRow { o, ia, ib in
                        if sa == 1 && sb == 0 {
                            let yb = y[ib]
                            for j in 0..<length { buffer[o + j] = K.f(x[ia + j], yb) }
                        } else if sa == 0 && sb == 1 {
                            let xa = x[ia]
                            for j in 0..<length { buffer[o + j] = K.f(xa, y[ib + j]) }
                        } else {
                            for j in 0..<length { buffer[o + j] = K.f(x[ia + j * sa], y[ib + j * sb]) }
                        }
                    }
                }
            }
            initialized = n
        }
        return Tensor(unchecked: outShape, out)
    }

    /// The common broadcasts without the general walk: one operand repeated whole along
    /// the other's leading axes — a scalar (`h * 0.5`), a bias row (`x W + b`). Nil for
    /// any other pattern. Each output is K.f of the same two values as in the walk, so the
    /// bits are the same.
    private static func combineRepeating<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _: K.Type, outShape: [Int]) -> Tensor? {
        let n = Shape.count(outShape)
        func repeats(_ small: Tensor, within big: Tensor) -> Bool {
            big.shape == outShape && small.count > 0 && small.rank <= big.rank
                && Array(small.shape.drop { $0 == 1 }) == Array(big.shape.suffix(small.shape.drop { $0 == 1 }.count))
        }
        let bRepeats = repeats(b, within: a)
        guard bRepeats || repeats(a, within: b) else { return nil }
        let width = bRepeats ? b.count : a.count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            a.scalars.withUnsafeBufferPointer { x in
                b.scalars.withUnsafeBufferPointer { y in
                    if width == 1 {
                        if bRepeats { let c = y[0]; for i in 0..<n { buffer[i] = K.f(x[i], c) } }
                        else { let c = x[0]; for i in 0..<n { buffer[i] = K.f(c, y[i]) } }
                    } else {
                        for start in stride(from: 0, to: n, by: width) {
                            if bRepeats { for j in 0..<width { buffer[start + j] = K.f(x[start + j], y[j]) } }
                            else { for j in 0..<width { buffer[start + j] = K.f(x[j], y[start + j]) } }
                        }
                    }
                }
            }
            initialized = n
        }
        return Tensor(unchecked: outShape, out)
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let y = try a.combine(b, Add.self, op: "add")
        return record(y, op: "add", inputs: [a, b]) { g, x in
            [g.summed(toShape: x[0].shape), g.summed(toShape: x[1].shape)]
        }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let y = try a.combine(b, Subtract.self, op: "subtract")
        return record(y, op: "subtract", inputs: [a, b]) { g, x in
            [g.summed(toShape: x[0].shape), (-g).summed(toShape: x[1].shape)]
        }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let y = try a.combine(b, Multiply.self, op: "multiply")
        return record(y, op: "multiply", inputs: [a, b]) { g, x in
            [try g.combine(x[1], Multiply.self, op: "multiply").summed(toShape: x[0].shape),
             try g.combine(x[0], Multiply.self, op: "multiply").summed(toShape: x[1].shape)]
        }
    }

    /// Elementwise division; dividing by zero gives ±inf or NaN as IEEE says, never a trap.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let y = try a.combine(b, Divide.self, op: "divide")
        return record(y, op: "divide", inputs: [a, b]) { g, x in
            let ga = try g.combine(x[1], Divide.self, op: "divide")
            // ∂(a/b)/∂b = −a/b², so g·∂y/∂b = −(g/b)·(a/b) = −ga·y
            let gb = -ga.timesSameShape(y)
            return [ga.summed(toShape: x[0].shape), gb.summed(toShape: x[1].shape)]
        }
    }

    /// a^b elementwise.
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let y = try combine(exponent, Power.self, op: "pow")
        return Tensor.record(y, op: "pow", inputs: [self, exponent]) { g, x in
            let (a, b) = (x[0], x[1])
            // ∂/∂a = b·a^(b−1) (0 where b = 0, even at a = 0)
            let da = try a.combine(b, PowerBaseSlope.self, op: "pow")
            let db = try a.combine(y, PowerExponentSlope.self, op: "pow")
            return [try g.combine(da, Multiply.self, op: "pow").summed(toShape: a.shape),
                    try g.combine(db, Multiply.self, op: "pow").summed(toShape: b.shape)]
        }
    }

    /// Elementwise maximum; on a tie the gradient is split evenly.
    public func maximum(_ other: Tensor) throws -> Tensor {
        try extremum(other, Maximum.self, op: "maximum")
    }

    /// Elementwise minimum; on a tie the gradient is split evenly.
    public func minimum(_ other: Tensor) throws -> Tensor {
        try extremum(other, Minimum.self, op: "minimum")
    }

    private func extremum<K: BinaryKernel>(_ other: Tensor, _ kernel: K.Type, op: String) throws -> Tensor {
        let y = try combine(other, kernel, op: op)
        return Tensor.record(y, op: op, inputs: [self, other]) { g, x in
            let winsA = try x[0].combine(y, WinnerShare.self, op: op)
            let winsB = try x[1].combine(y, WinnerShare.self, op: op)
            let total = try winsA.combine(winsB, Add.self, op: op)
            let shareA = try winsA.combine(total, Divide.self, op: op)
            let shareB = try winsB.combine(total, Divide.self, op: op)
            return [try g.combine(shareA, Multiply.self, op: op).summed(toShape: x[0].shape),
                    try g.combine(shareB, Multiply.self, op: op).summed(toShape: x[1].shape)]
        }
    }

    // Comparisons give masks of 0 and 1 and carry no gradient.
    public func eq(_ other: Tensor) throws -> Tensor { try combine(other, Equal.self, op: "==") }
    public func ne(_ other: Tensor) throws -> Tensor { try combine(other, NotEqual.self, op: "!=") }
    public func lt(_ other: Tensor) throws -> Tensor { try combine(other, Less.self, op: "<") }
    public func le(_ other: Tensor) throws -> Tensor { try combine(other, LessEqual.self, op: "<=") }
    public func gt(_ other: Tensor) throws -> Tensor { try combine(other, Greater.self, op: ">") }
    public func ge(_ other: Tensor) throws -> Tensor { try combine(other, GreaterEqual.self, op: ">=") }

    /// `mask ? a : b` elementwise, all three broadcast together; mask values are true when
    /// non-zero. The gradient goes to whichever operand was chosen. (Written as
    /// a·m + b·(1−m) it would turn inf·0 into NaN, so it chooses instead.)
    public static func `where`(_ mask: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(try Shape.broadcast(mask.shape, a.shape, op: "where"), b.shape, op: "where")
        let m = try mask.ne(Tensor(0)).broadcastValues(to: shape)
        let av = try a.broadcastValues(to: shape), bv = try b.broadcastValues(to: shape)
        var out = av.scalars
        for i in out.indices where m.scalars[i] == 0 { out[i] = bv.scalars[i] }
        return record(Tensor(unchecked: shape, out), op: "where", inputs: [a, b]) { g, x in
            let notM = try Tensor(1).combine(m, Subtract.self, op: "where")
            return [g.timesSameShape(m).summed(toShape: x[0].shape),
                    g.timesSameShape(notM).summed(toShape: x[1].shape)]
        }
    }

    /// The values where `mask` is zero, and `value` where it is non-zero (e.g. −inf above
    /// the diagonal for a causal attention mask).
    public func maskedFill(_ mask: Tensor, with value: Float) throws -> Tensor {
        try Tensor.where(mask, Tensor(value), self)
    }
}
