import CKernels

/// 1-d and 2-d convolution (cross-correlation, as in every deep-learning framework):
/// each output position hears only its window, h′_p = Σ_δ W_δ h_{p+δ} + b, with the same
/// weights W at every position.
///
/// Computed as im2col + one matrix product per image: the windows are unrolled into the
/// columns of a (C·kh·kw, positions) matrix, and W (O, C·kh·kw) times it gives the
/// output. The backward pass is the same two products transposed, plus col2im.
extension Tensor {
    /// 2-d convolution of `self` (N, C, H, W) with `weight` (O, C, kh, kw) and an optional
    /// `bias` (O,); zero padding. Result: (N, O, H′, W′) with
    /// H′ = (H + 2·pad − kh) / stride + 1.
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                       padding: (Int, Int) = (0, 0)) throws -> Tensor {
        guard rank == 4, weight.rank == 4 else {
            throw TensorError.shapes("conv2d", shape, weight.shape, "input must be (N, C, H, W) and weight (O, C, kh, kw)")
        }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (o, wc, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard c == wc else {
            throw TensorError.shapes("conv2d", shape, weight.shape, "input has \(c) channels but the weight expects \(wc)")
        }
        guard stride.0 > 0, stride.1 > 0, padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError("conv2d: stride must be positive and padding non-negative, got stride \(stride), padding \(padding)")
        }
        let outHeight = try Self.convolutionOutputLength(input: h, kernel: kh, stride: stride.0, padding: padding.0, op: "conv2d")
        let outWidth = try Self.convolutionOutputLength(input: w, kernel: kw, stride: stride.1, padding: padding.1, op: "conv2d")
        guard kh > 0, kw > 0, let ho = outHeight, let wo = outWidth else {
            throw TensorError.shapes("conv2d", shape, weight.shape, "the \(kh)×\(kw) kernel does not fit in the padded \(h + 2 * padding.0)×\(w + 2 * padding.1) input")
        }
        if let bias, bias.shape != [o] {
            throw TensorError.shapes("conv2d", weight.shape, bias.shape, "bias must have shape (\(o),), one value per output channel")
        }
        try Shape.validate([n, o, ho, wo], op: "conv2d")
        try Shape.validate([c * kh * kw, ho, wo], op: "conv2d")
        let g = Im2Col(channels: c, height: h, width: w, kernel: (kh, kw), stride: stride, padding: padding)
        let rows = c * kh * kw, positions = ho * wo
        var out = [Float](repeating: 0, count: n * o * positions)
        var columns = [Float](repeating: 0, count: rows * positions)
        for image in 0..<n {
            // A batch of large images runs for seconds: the time limit and Ctrl-C are asked
            // between images (and between bands of one large product).
            try Cancellation.check()
            g.unroll(scalars, image: image, into: &columns)
            try weight.scalars.withUnsafeBufferPointer { pw in
                try columns.withUnsafeBufferPointer { pc in
                    try out.withUnsafeMutableBufferPointer { po in
                        guard let po = po.baseAddress else { return }
                        // (O, rows) @ (rows, positions)
                        try Tensor.sgemm(o, positions, rows, pw.baseAddress, rows, 1,
                                         pc.baseAddress, positions, 1, po + image * o * positions, positions)
                    }
                }
            }
        }
        if let bias {
            for image in 0..<n {
                for ch in 0..<o {
                    let base = (image * o + ch) * positions
                    for p in 0..<positions { out[base + p] += bias.scalars[ch] }
                }
            }
        }
        let y = Tensor(unchecked: [n, o, ho, wo], out)
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        return Tensor.record(y, op: "conv2d", inputs: inputs) { grad, x in
            var dx = [Float](repeating: 0, count: x[0].count)
            var dw = [Float](repeating: 0, count: x[1].count)
            var dcols = [Float](repeating: 0, count: rows * positions)
            var cols = [Float](repeating: 0, count: rows * positions)
            for image in 0..<n {
                try Cancellation.check()
                g.unroll(x[0].scalars, image: image, into: &cols)
                try grad.scalars.withUnsafeBufferPointer { pg in
                    let gImage = pg.baseAddress.map { $0 + image * o * positions }
                    try cols.withUnsafeBufferPointer { pc in
                        try dw.withUnsafeMutableBufferPointer { pdw in
                            guard let pdw = pdw.baseAddress else { return }
                            // dW += dY (O, positions) @ colsᵀ (positions, rows)
                            try Tensor.sgemm(o, rows, positions, gImage, positions, 1,
                                             pc.baseAddress, 1, positions, pdw, rows, accumulate: true)
                        }
                    }
                    try x[1].scalars.withUnsafeBufferPointer { pw in
                        try dcols.withUnsafeMutableBufferPointer { pd in
                            guard let pd = pd.baseAddress else { return }
                            // dcols = Wᵀ (rows, O) @ dY (O, positions)
                            try Tensor.sgemm(rows, positions, o, pw.baseAddress, 1, rows,
                                             gImage, positions, 1, pd, positions)
                        }
                    }
                }
                g.fold(dcols, image: image, into: &dx)
            }
            var result: [Tensor?] = [Tensor(unchecked: x[0].shape, dx), Tensor(unchecked: x[1].shape, dw)]
            if x.count == 3 {
                var db = [Float](repeating: 0, count: o)
                for image in 0..<n {
                    for ch in 0..<o {
                        let base = (image * o + ch) * positions
                        for p in 0..<positions { db[ch] += grad.scalars[base + p] }
                    }
                }
                result.append(Tensor(unchecked: [o], db))
            }
            return result
        }
    }

    /// The output length along one axis, (L + 2·padding − k) / stride + 1, or nil when the
    /// kernel does not fit in the padded input. Throws when L + 2·padding overflows, which a
    /// lesson reaches with `padding: 2**62` — before any size is multiplied by it.
    public static func convolutionOutputLength(input: Int, kernel: Int, stride: Int, padding: Int,
                                               op: String) throws -> Int? {
        let (twice, o1) = padding.multipliedReportingOverflow(by: 2)
        let (padded, o2) = input.addingReportingOverflow(twice)
        guard !o1, !o2 else {
            throw TensorError("\(op): padding \(padding) is too large: a length-\(input) input padded by it on both sides has more than \(Int.max) positions")
        }
        return padded >= kernel ? (padded - kernel) / stride + 1 : nil
    }

    /// 1-d convolution of `self` (N, C, L) with `weight` (O, C, k): a 2-d convolution of
    /// height 1.
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws -> Tensor {
        guard rank == 3, weight.rank == 3 else {
            throw TensorError.shapes("conv1d", shape, weight.shape, "input must be (N, C, L) and weight (O, C, k)")
        }
        let x4 = try reshaped([shape[0], shape[1], 1, shape[2]])
        let w4 = try weight.reshaped([weight.shape[0], weight.shape[1], 1, weight.shape[2]])
        let y = try x4.conv2d(weight: w4, bias: bias, stride: (1, stride), padding: (0, padding))
        return try y.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }
}

/// The unrolling of one image's windows into columns, and its adjoint.
struct Im2Col {
    let channels: Int, height: Int, width: Int
    let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)

    var outHeight: Int { (height + 2 * padding.0 - kernel.0) / stride.0 + 1 }
    var outWidth: Int { (width + 2 * padding.1 - kernel.1) / stride.1 + 1 }

    /// Calls `body(column row, position, input index or nil for padding)` for every cell.
    @inline(__always)
    private func forEachCell(image: Int, _ body: (Int, Int, Int?) -> Void) {
        let (ho, wo) = (outHeight, outWidth)
        let imageBase = image * channels * height * width
        for c in 0..<channels {
            for ki in 0..<kernel.0 {
                for kj in 0..<kernel.1 {
                    let row = (c * kernel.0 + ki) * kernel.1 + kj
                    for oi in 0..<ho {
                        let i = oi * stride.0 - padding.0 + ki
                        for oj in 0..<wo {
                            let j = oj * stride.1 - padding.1 + kj
                            let inside = i >= 0 && i < height && j >= 0 && j < width
                            body(row, oi * wo + oj, inside ? imageBase + (c * height + i) * width + j : nil)
                        }
                    }
                }
            }
        }
    }

    /// columns[(c, ki, kj), (oi, oj)] = x[image, c, oi·s + ki − p, oj·s + kj − p] (0 outside).
    func unroll(_ x: [Float], image: Int, into columns: inout [Float]) {
        let positions = outHeight * outWidth
        forEachCell(image: image) { row, position, source in
            columns[row * positions + position] = source.map { x[$0] } ?? 0
        }
    }

    /// The adjoint of `unroll`: adds each column cell back onto the input cell it came from.
    func fold(_ columns: [Float], image: Int, into dx: inout [Float]) {
        let positions = outHeight * outWidth
        forEachCell(image: image) { row, position, target in
            if let target { dx[target] += columns[row * positions + position] }
        }
    }
}
