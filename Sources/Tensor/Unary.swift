import CKernels
import RealModule

/// Elementwise functions of one tensor, each with its derivative beside it.
///
/// A kernel is a type with a static `f`; the generic `map` below is specialised per
/// kernel by the compiler, so the inner loop is a plain loop with no call per element.
protocol UnaryKernel {
    static func f(_ x: Float) -> Float
}

extension Tensor {
    func map<K: UnaryKernel>(_: K.Type) -> Tensor {
        let n = scalars.count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            scalars.withUnsafeBufferPointer { x in
                for i in 0..<n { buffer[i] = K.f(x[i]) }
            }
            initialized = n
        }
        return Tensor(unchecked: shape, out)
    }

    /// Runs a C array kernel (CKernels/elementwise.c: the same bits on every machine) over
    /// the values.
    func apply(_ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64) -> Void) -> Tensor {
        let n = scalars.count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            scalars.withUnsafeBufferPointer { x in kernel(x.baseAddress, buffer.baseAddress, Int64(n)) }
            initialized = n
        }
        return Tensor(unchecked: shape, out)
    }

    /// y = kernel(x) with an array kernel, whose gradient `backward(g, x, y)` computes.
    func unary(_ op: String, array kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64) -> Void,
               backward: @escaping (_ grad: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor) -> Tensor {
        let y = apply(kernel)
        return Tensor.record(y, op: op, inputs: [self]) { grad, inputs in [backward(grad, inputs[0], y)] }
    }

    /// Elementwise product with a same-shaped tensor: the chain rule's last step.
    func timesSameShape(_ other: Tensor) -> Tensor {
        let n = scalars.count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<n { buffer[i] = a[i] * b[i] }
                }
            }
            initialized = n
        }
        return Tensor(unchecked: shape, out)
    }

    /// y = K(x), dy/dx = D(x, y) — for kernels whose derivative is cheapest from x and y.
    func unary<K: UnaryKernel>(_ op: String, _ kernel: K.Type,
                               derivative: @escaping (_ x: Tensor, _ y: Tensor) -> Tensor) -> Tensor {
        let y = map(kernel)
        return Tensor.record(y, op: op, inputs: [self]) { grad, inputs in
            [grad.timesSameShape(derivative(inputs[0], y))]
        }
    }
}

enum Negate: UnaryKernel { static func f(_ x: Float) -> Float { -x } }
enum Exp: UnaryKernel { static func f(_ x: Float) -> Float { hk_expf(x) } }
enum Log: UnaryKernel { static func f(_ x: Float) -> Float { .log(x) } }
enum Reciprocal: UnaryKernel { static func f(_ x: Float) -> Float { 1 / x } }
enum Sqrt: UnaryKernel { static func f(_ x: Float) -> Float { x.squareRoot() } }
enum Abs: UnaryKernel { static func f(_ x: Float) -> Float { Swift.abs(x) } }
enum Sign: UnaryKernel { static func f(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
enum Tanh: UnaryKernel { static func f(_ x: Float) -> Float { hk_tanhf(x) } }
enum OneMinusSquare: UnaryKernel { static func f(_ x: Float) -> Float { 1 - x * x } }
enum Relu: UnaryKernel { static func f(_ x: Float) -> Float { x > 0 ? x : 0 } }
enum Step: UnaryKernel { static func f(_ x: Float) -> Float { x > 0 ? 1 : 0 } }

/// σ(x) = 1 / (1 + e^(−x)), computed without overflow for large |x| (elementwise.c).
enum Sigmoid: UnaryKernel {
    static func f(_ x: Float) -> Float { hk_sigmoidf(x) }
}

enum SigmoidSlope: UnaryKernel {
    static func f(_ y: Float) -> Float { y * (1 - y) }
}

/// softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^(−|x|)), stable for large |x|.
enum Softplus: UnaryKernel {
    static func f(_ x: Float) -> Float { Swift.max(x, 0) + .log(onePlus: .exp(-Swift.abs(x))) }
}

/// GELU in the tanh form used by GPT-2 and BERT:
/// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), and its slope (elementwise.c).
enum Gelu: UnaryKernel {
    static func f(_ x: Float) -> Float { hk_geluf(x) }
}

enum GeluSlope: UnaryKernel {
    static func f(_ x: Float) -> Float { hk_gelu_slopef(x) }
}

/// GELU in its exact form, x·Φ(x) = 0.5·x·(1 + erf(x/√2)): PyTorch's `nn.GELU()` default
/// and nanoGPT's, beside the tanh form above (the two differ by up to about 5e-4).
enum GeluErf: UnaryKernel {
    static let invSqrt2: Float = 0.70710678118654752
    static func f(_ x: Float) -> Float { 0.5 * x * (1 + .erf(x * invSqrt2)) }
}

/// d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
enum GeluErfSlope: UnaryKernel {
    static let invSqrt2Pi: Float = 0.39894228040143268
    static func f(_ x: Float) -> Float {
        0.5 * (1 + .erf(x * GeluErf.invSqrt2)) + x * invSqrt2Pi * .exp(-0.5 * x * x)
    }
}

extension Tensor {
    public static prefix func - (x: Tensor) -> Tensor {
        record(x.map(Negate.self), op: "neg", inputs: [x]) { grad, _ in [grad.map(Negate.self)] }
    }

    /// e^x.
    public func exp() -> Tensor { unary("exp", array: hk_exp) { g, _, y in g.timesSameShape(y) } }
    /// Natural logarithm (−inf at 0, NaN below).
    public func log() -> Tensor { unary("log", Log.self) { x, _ in x.map(Reciprocal.self) } }
    /// √x.
    public func sqrt() -> Tensor {
        unary("sqrt", Sqrt.self) { _, y in y.map(Reciprocal.self).map(Half.self) }
    }
    /// |x|; the derivative at 0 is taken as 0.
    public func abs() -> Tensor { unary("abs", Abs.self) { x, _ in x.map(Sign.self) } }
    public func tanh() -> Tensor { unary("tanh", array: hk_tanh) { g, _, y in g.timesSameShape(y.map(OneMinusSquare.self)) } }
    /// σ(x) = 1 / (1 + e^(−x)).
    public func sigmoid() -> Tensor {
        unary("sigmoid", array: hk_sigmoid) { g, _, y in g.timesSameShape(y.map(SigmoidSlope.self)) }
    }
    /// max(x, 0); the derivative at 0 is taken as 0.
    public func relu() -> Tensor { unary("relu", Relu.self) { x, _ in x.map(Step.self) } }
    /// GELU, tanh approximation (GPT-2, BERT).
    /// The forward keeps its tanh, so the backward is one pass without a tanh (elementwise.c).
    public func gelu() -> Tensor {
        let n = count
        var t = [Float](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        let y = [Float](unsafeUninitializedCapacity: n) { out, initialized in
            scalars.withUnsafeBufferPointer { xs in
                t.withUnsafeMutableBufferPointer { ts in hk_gelu_saving_tanh(xs.baseAddress, out.baseAddress, ts.baseAddress, Int64(n)) }
            }
            initialized = n
        }
        let tanhs = t
        return Tensor.record(Tensor(unchecked: shape, y), op: "gelu", inputs: [self]) { g, inputs in
            let dx = [Float](unsafeUninitializedCapacity: n) { out, initialized in
                inputs[0].scalars.withUnsafeBufferPointer { xs in
                    tanhs.withUnsafeBufferPointer { ts in
                        g.scalars.withUnsafeBufferPointer { gs in
                            hk_gelu_backward_from_tanh(xs.baseAddress, ts.baseAddress, gs.baseAddress, out.baseAddress, Int64(n))
                        }
                    }
                }
                initialized = n
            }
            return [Tensor(unchecked: inputs[0].shape, dx)]
        }
    }
    /// GELU, exact: x·Φ(x) with Φ the standard normal CDF (PyTorch's nn.GELU(), nanoGPT).
    public func geluErf() -> Tensor { unary("gelu_erf", GeluErf.self) { x, _ in x.map(GeluErfSlope.self) } }
    /// log(1 + e^x), whose derivative is σ(x).
    public func softplus() -> Tensor { unary("softplus", Softplus.self) { x, _ in x.map(Sigmoid.self) } }
}

enum Half: UnaryKernel { static func f(_ x: Float) -> Float { 0.5 * x } }
