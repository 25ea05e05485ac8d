import Tensor
import Trace

/// A 2-d convolution layer: h′_p = σ(Σ_{δ∈window} W_δ h_{p+δ} + b), with p = (i, j) a
/// pixel and δ running over a kh×kw window. Each pixel hears only its neighbourhood, and
/// every pixel listens with the same weights — which is why one small kernel can find a
/// pattern wherever it sits in the image.
///
/// Parameters `W` (O, C, kh, kw) and `b` (O,). Input (N, C, H, W), output (N, O, H′, W′)
/// with H′ = (H + 2·padding.0 − kh) / stride.0 + 1 (and likewise W′). Output pixel (i, j)
/// reads input rows i·stride.0 − padding.0 … + kh − 1 and columns j·stride.1 − padding.1
/// … + kw − 1; outside the image the input is zero.
///
/// Each call emits a `conv` event with tensors `input` (N, C, H, W), `window`
/// (N, C, kh, kw), `W` (O, C, kh, kw), `b` (O,), `pre` (N, O, H′, W′) and `output`
/// (= σ(pre)); index `layer`, `stride` and `padding` (text such as "1×1", rows × columns),
/// `activation`, `i` and `j` (the output pixel whose window is shown: `focus`, or the
/// middle pixel when `focus` is nil) and `window_top`, `window_left` (the input pixel
/// under δ = (0, 0); negative inside the padding).
public final class Conv2DLayer: Model {
    public let W: Parameter
    public let b: Parameter
    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public let activation: Activation
    /// This layer's number in a stack (the event's `layer` index).
    public let layerIndex: Int
    /// The output pixel (row, column) whose window the `conv` event shows; nil: the middle one.
    public var focus: (row: Int, column: Int)?

    public init(inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), activation: Activation = .relu, layerIndex: Int = 1,
                using rng: inout SplitMix64) throws {
        guard inChannels > 0, outChannels > 0, kernelSize.0 > 0, kernelSize.1 > 0 else {
            throw TensorError("Conv2D: channels and kernel sizes must be positive, got \(inChannels) → \(outChannels) channels, kernel \(kernelSize.0)×\(kernelSize.1)")
        }
        guard stride.0 > 0, stride.1 > 0, padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError("Conv2D: stride must be positive and padding non-negative, got stride \(stride.0)×\(stride.1), padding \(padding.0)×\(padding.1)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.layerIndex = layerIndex
        let shape = [outChannels, inChannels, kernelSize.0, kernelSize.1]
        try MemoryBudget.reserve(shape, op: "Conv2D", what: "its weights, a \(formatShape(shape)) tensor")
        let fanIn = inChannels * kernelSize.0 * kernelSize.1
        W = Parameter("W", try Initializer.normal(shape, fanIn: fanIn,
                                                  gain: activation == .relu ? Float(2).squareRoot() : 1, using: &rng))
        b = Parameter("b", try Tensor.zeros([outChannels]))
    }

    /// A square kernel, stride and padding.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            activation: Activation = .relu, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(inChannels: inChannels, outChannels: outChannels, kernelSize: (kernelSize, kernelSize),
                      stride: (stride, stride), padding: (padding, padding), activation: activation, using: &rng)
    }

    public var summary: String {
        "Conv2D \(inChannels)→\(outChannels), kernel \(kernelSize.0)×\(kernelSize.1), stride \(stride.0)×\(stride.1), padding \(padding.0)×\(padding.1) (\(activation.rawValue))"
    }

    public var ownParameters: [Parameter] { [W, b] }

    /// (H′, W′) for an input of H×W pixels, or nil when the kernel does not fit.
    public func outputSize(height: Int, width: Int) throws -> (height: Int, width: Int)? {
        let rows = try Tensor.convolutionOutputLength(input: height, kernel: kernelSize.0, stride: stride.0,
                                                      padding: padding.0, op: summary)
        let columns = try Tensor.convolutionOutputLength(input: width, kernel: kernelSize.1, stride: stride.1,
                                                         padding: padding.1, op: summary)
        guard let rows, let columns else { return nil }
        return (rows, columns)
    }

    /// x (N, C, H, W) → (N, O, H′, W′).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let (height, width) = try checkInput(x)
        guard let out = try outputSize(height: height, width: width) else {
            throw TensorError("\(summary): the \(kernelSize.0)×\(kernelSize.1) kernel does not fit in a \(height)×\(width) input padded by \(padding.0)×\(padding.1)")
        }
        let (i, j) = focus ?? ((out.height - 1) / 2, (out.width - 1) / 2)
        guard (0..<out.height).contains(i), (0..<out.width).contains(j) else {
            throw TensorError("\(summary): focus pixel (\(i), \(j)) is outside the \(out.height)×\(out.width) output")
        }
        let pre = try x.conv2d(weight: W.value, bias: b.value, stride: stride, padding: padding)  // (N, O, H′, W′)
        let result = activation.apply(pre)
        typealias S = ConvStep
        let index: [(IndexKey<S>, IndexValue)] = [
            (S.layer, .int(layerIndex)), (S.stride, .text("\(stride.0)×\(stride.1)")),
            (S.padding, .text("\(padding.0)×\(padding.1)")), (S.activation, .text(activation.rawValue)),
            (S.i, .int(i)), (S.j, .int(j)),
            (S.windowTop, .int(i * stride.0 - padding.0)), (S.windowLeft, .int(j * stride.1 - padding.1)),
        ]
        try Tracing.emit(S.self, Conv1DLayer.formula(activation), index: index) {
            [(S.input, x), (S.window, try window(of: x, at: (i, j))), (S.W, W.value), (S.b, b.value),
             (S.pre, pre), (S.output, result)]
        }
        return result
    }

    /// The part of x (N, C, H, W) that output pixel p = (row, column) hears: (N, C, kh, kw),
    /// zeros where the window hangs over the padding.
    public func window(of x: Tensor, at p: (row: Int, column: Int)) throws -> Tensor {
        let (height, width) = try checkInput(x)
        guard let out = try outputSize(height: height, width: width),
              (0..<out.height).contains(p.row), (0..<out.width).contains(p.column) else {
            throw TensorError("\(summary): (\(p.row), \(p.column)) is not an output pixel for a \(height)×\(width) input")
        }
        let padded = try Conv1DLayer.zeroPadded(try Conv1DLayer.zeroPadded(x, axis: 2, by: padding.0), axis: 3, by: padding.1)
        let (top, left) = (p.row * stride.0, p.column * stride.1)
        return try padded.slice(axis: 2, start: top, end: top + kernelSize.0)
            .slice(axis: 3, start: left, end: left + kernelSize.1)
    }

    /// Checks x is (N, C, H, W) with this layer's channels; returns (H, W).
    private func checkInput(_ x: Tensor) throws -> (Int, Int) {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw TensorError("\(summary): input has shape \(formatShape(x.shape)), expected (N, \(inChannels), H, W) — a batch of N images with \(inChannels) channels (for one image use (1, \(inChannels), H, W))")
        }
        return (x.shape[2], x.shape[3])
    }
}
