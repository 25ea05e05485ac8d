import Tensor
import Trace

/// A tiny convolutional network: conv → relu → conv → relu → global average pool → linear.
///
/// Two rounds of local messages (each pixel hears its 3×3 window, then its window's
/// windows — a 5×5 neighbourhood in all), then every pixel's vector is averaged into one
/// summary and a linear readout turns it into class scores. Because the kernels are the
/// same everywhere and the pool forgets where things were, the answer does not depend on
/// where in the image the pattern sits. Made for `BarImages` (horizontal vs vertical
/// bars in 6×6 images).
///
/// Parts `conv1`, `conv2` (each with `W`, `b`; "same" zero padding so the image keeps
/// its size) and `readout` (`W` (classes, channels), `b`), so parameters are
/// `conv1.W`, `conv1.b`, `conv2.W`, `conv2.b`, `readout.W`, `readout.b`. Events: a
/// `conv` event from each convolution (layers 1 and 2), then a `layer` event for the
/// readout (layer 3) with tensors `h_in` (the pooled (N, channels) summary), `W`, `b`,
/// `pre` and `h_out` (= pre, the logits (N, classes)).
public final class TinyCNN: Model {
    public let conv1: Conv2DLayer
    public let conv2: Conv2DLayer
    public let readout: Linear
    public let inChannels: Int, channels: Int, classes: Int

    public init(inChannels: Int = 1, channels: Int = 4, classes: Int = 2, kernelSize: Int = 3, seed: UInt64) throws {
        guard inChannels > 0, channels > 0, classes > 0 else {
            throw TensorError("TinyCNN: sizes must be positive, got \(inChannels) input channels, \(channels) channels, \(classes) classes")
        }
        guard kernelSize > 0, kernelSize % 2 == 1 else {
            throw TensorError("TinyCNN: the kernel size must be odd so padding keeps the image size, got \(kernelSize)")
        }
        var rng = SplitMix64(seed: seed)
        let k = (kernelSize, kernelSize), pad = (kernelSize / 2, kernelSize / 2)
        conv1 = try Conv2DLayer(inChannels: inChannels, outChannels: channels, kernelSize: k, padding: pad,
                                activation: .relu, layerIndex: 1, using: &rng)
        conv2 = try Conv2DLayer(inChannels: channels, outChannels: channels, kernelSize: k, padding: pad,
                                activation: .relu, layerIndex: 2, using: &rng)
        readout = try Linear(channels, classes, using: &rng)
        self.inChannels = inChannels
        self.channels = channels
        self.classes = classes
    }

    public var summary: String {
        "TinyCNN \(inChannels)→\(channels)→\(channels) channels, \(conv1.kernelSize.0)×\(conv1.kernelSize.1) kernels, \(classes) classes"
    }

    public var ownParameters: [Parameter] { [] }

    public var parts: [(name: String, model: any Model)] {
        [("conv1", conv1), ("conv2", conv2), ("readout", readout)]
    }

    /// Images (N, C, H, W) → class scores (logits) (N, classes).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h2 = try conv2(try conv1(x))                                       // (N, ch, H, W)
        let pooled = try h2.reshaped([h2.shape[0], channels, -1]).mean(axis: 2)  // (N, ch)
        let logits = try readout(pooled)                                       // (N, classes)
        typealias S = LayerStep
        try Tracing.emit(S.self, "y = W·mean_p(h_p) + b",
                         index: [(S.layer, .int(3)), (S.activation, .text(Activation.identity.rawValue))]) {
            [(S.hIn, pooled), (S.W, readout.W.value), (S.b, try readout.b?.value ?? Tensor.zeros([classes])),
             (S.pre, logits), (S.hOut, logits)]
        }
        return logits
    }

    /// The most likely class of each image.
    public func predict(_ x: Tensor) throws -> [Int] {
        let logits = try Tensor.withoutGrad { try self(x) }
        return try logits.argmax(axis: 1).scalars.map { Int($0) }
    }

    /// The fraction of images whose predicted class is the label.
    public func accuracy(_ x: Tensor, labels: [Int]) throws -> Double {
        guard labels.count == x.shape.first else {
            throw TensorError("\(summary): \(labels.count) labels for \(x.shape.first ?? 0) images")
        }
        let predictions = try predict(x)
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(Swift.max(labels.count, 1))
    }
}
