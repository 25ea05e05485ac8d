import CKernels
import RealModule

/// Optimisers: θ ← θ − η∇θL and its refinements. Each keeps per-parameter state (momenta)
/// keyed by the parameter's identity and updates parameters in place.
public protocol Optimizer: AnyObject {
    var parameters: [Parameter] { get }
    var learningRate: Float { get set }
    /// One update from the gradients now stored on the parameters (those without a
    /// gradient are left as they are).
    func step()
}

extension Optimizer {
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// Stochastic gradient descent with (optional) momentum, as in PyTorch:
/// v ← μ·v + g (+ λ·θ for weight decay), θ ← θ − η·v.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    private var velocity: [ObjectIdentifier: [Float]] = [:]

    public init(_ parameters: [Parameter], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step() {
        for p in parameters {
            guard let grad = p.grad else { continue }
            let id = ObjectIdentifier(p)
            var v = velocity[id] ?? [Float](repeating: 0, count: grad.count)
            let (lr, mu, wd) = (learningRate, momentum, weightDecay)
            p.update { theta in
                for i in theta.indices {
                    let g = grad.scalars[i] + wd * theta[i]
                    v[i] = mu * v[i] + g
                    theta[i] -= lr * v[i]
                }
            }
            if momentum != 0 { velocity[id] = v }
        }
    }
}

/// Adam (Kingma & Ba 2015), and AdamW (Loshchilov & Hutter 2019) when `decoupled`:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η·m̂/(√v̂ + ε), with bias-corrected
/// m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Adam adds weight decay to the gradient; AdamW shrinks
/// the weights directly, θ ← θ − ηλθ.
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public var weightDecay: Float
    public let decoupled: Bool
    public private(set) var stepCount = 0
    /// m and v of each parameter, in a box so the update writes them in place (a tuple
    /// in a dictionary would be copied out, written and copied back every step).
    private final class Moments {
        var m: [Float], v: [Float]
        init(count: Int) {
            m = [Float](repeating: 0, count: count)
            v = m
        }
    }
    private var moments: [ObjectIdentifier: Moments] = [:]

    public init(_ parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// AdamW with PyTorch's default decay of 0.01.
    public static func adamW(_ parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters, learningRate: learningRate, weightDecay: weightDecay, decoupled: true)
    }

    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let correction1 = 1 - Float.pow(beta1, t), correction2 = 1 - Float.pow(beta2, t)
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, epsilon, weightDecay, decoupled)
        for p in parameters {
            guard let grad = p.grad else { continue }
            let id = ObjectIdentifier(p)
            let state = moments[id] ?? Moments(count: grad.count)
            moments[id] = state
            // One pass over θ, g, m and v in place (hk_adam_update: the scalar loop's bits, vectorised).
            p.update { theta in
                theta.withUnsafeMutableBufferPointer { theta in
                    grad.scalars.withUnsafeBufferPointer { g in
                        state.m.withUnsafeMutableBufferPointer { m in
                            state.v.withUnsafeMutableBufferPointer { v in
                                hk_adam_update(theta.baseAddress, g.baseAddress, m.baseAddress, v.baseAddress,
                                               Int64(theta.count), lr, b1, b2, eps, wd, decoupled ? 1 : 0,
                                               correction1, correction2)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The global L2 norm of all the parameters' gradients, √(Σ g²), summed in Double: each
/// parameter's squares in eight lanes by index (`hk_sum_squares`), the lanes added in one
/// fixed order at the end. One long chain of additions took 2–3 % of a GPT training step.
public func gradientNorm(_ parameters: [Parameter]) -> Float {
    var lanes = [Double](repeating: 0, count: 8)
    for p in parameters {
        guard let g = p.grad else { continue }
        g.scalars.withUnsafeBufferPointer { hk_sum_squares($0.baseAddress, Int64($0.count), &lanes) }
    }
    let total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
    return Float(total.squareRoot())
}

/// Scales all gradients together so their global L2 norm is at most `maxNorm`; returns
/// the norm before clipping. Keeps the direction of the update.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    let norm = gradientNorm(parameters)
    guard norm > maxNorm, norm.isFinite else { return norm }
    let scale = maxNorm / (norm + 1e-6)
    for p in parameters {
        guard let node = p.value.node, let g = node.grad else { continue }
        node.grad = Tensor(unchecked: g.shape, g.scalars.map { $0 * scale })
    }
    return norm
}
