import Tensor

// How each model reads the state_dict of the PyTorch module it corresponds to. Huddle
// keeps the lecture's layout (one matrix per LSTM gate on [h, x], one bias per gate);
// PyTorch stacks and splits differently, so each conversion is spelled out here, exactly.

/// nn.Linear: `weight` (out, in) is W, `bias` is b.
extension Linear: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        var out = [W.name: dict.take("weight", shape: W.shape)]
        if let bias = dict.bias("bias", shape: [outputSize], wanted: b != nil, fix: "the file's Linear has a bias; build it with one") {
            out[b!.name] = bias
        }
        return out
    }
}

/// nn.Sequential(nn.Linear, activation, nn.Linear, …): the Linear modules in index
/// order (`0.weight`, `2.weight`, …; activations have no weights) are layers 1, 2, ….
extension MLP: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        let indices = Set(dict.names.compactMap { name -> Int? in
            let parts = name.split(separator: ".")
            return parts.count == 2 && parts[1] == "weight" ? Int(parts[0]) : nil
        }).sorted()
        if indices.count != layers.count {
            dict.note("the file has \(indices.count) Linear layer\(indices.count == 1 ? "" : "s") (\(indices.map { "\($0).weight" }.joined(separator: ", "))), the MLP has \(layers.count)")
        }
        var out: [String: Tensor] = [:]
        for (layer, index) in zip(layers, indices) {
            out[layer.W.name] = dict.take("\(index).weight", shape: layer.W.shape)
            if let b = layer.b { out[b.name] = dict.take("\(index).bias", shape: b.shape) }
        }
        return out
    }
}

/// nn.RNN (tanh, one layer): `weight_hh_l0` is W, `weight_ih_l0` is U, and the two
/// biases add up to b.
extension RNN: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        let (H, X) = (cell.hiddenSize, cell.inputSize)
        let bih = dict.take("bias_ih_l0", shape: [H]), bhh = dict.take("bias_hh_l0", shape: [H])
        return [
            cell.W.name: dict.take("weight_hh_l0", shape: [H, H]),
            cell.U.name: dict.take("weight_ih_l0", shape: [H, X]),
            cell.b.name: (try? bih + bhh) ?? bih,
        ]
    }
}

/// nn.LSTM (one layer): `weight_ih_l0` (4H, X) and `weight_hh_l0` (4H, H) stack the
/// gates i, f, g, o; Huddle's gate k is [W_hh,k | W_ih,k] on [h, x], and its bias the sum
/// of PyTorch's two.
extension LSTM: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        let (H, X) = (cell.hiddenSize, cell.inputSize)
        let wih = dict.take("weight_ih_l0", shape: [4 * H, X]), whh = dict.take("weight_hh_l0", shape: [4 * H, H])
        let bih = dict.take("bias_ih_l0", shape: [4 * H]), bhh = dict.take("bias_hh_l0", shape: [4 * H])
        guard let wf = cell.Wf, let bf = cell.bf else {
            dict.note("this LSTM has no forget gate (forget_gate: false); PyTorch's nn.LSTM always has one — make it with forget_gate: true")
            return [:]
        }
        func rows(_ t: Tensor, _ gate: Int) -> Tensor { (try? t.slice(axis: 0, start: gate * H, end: (gate + 1) * H)) ?? t }
        func matrix(_ gate: Int) -> Tensor { (try? Tensor.concatenate([rows(whh, gate), rows(wih, gate)], axis: 1)) ?? whh }
        func bias(_ gate: Int) -> Tensor { (try? rows(bih, gate) + rows(bhh, gate)) ?? bih }
        return [
            cell.Wi.name: matrix(0), wf.name: matrix(1), cell.Wg.name: matrix(2), cell.Wo.name: matrix(3),
            cell.bi.name: bias(0), bf.name: bias(1), cell.bg.name: bias(2), cell.bo.name: bias(3),
        ]
    }
}

/// nn.LayerNorm: `weight` is γ, `bias` is β (ε is the model's own: 1e-5, as PyTorch's).
extension LayerNorm: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        var out = [gamma.name: dict.take("weight", shape: gamma.shape)]
        if let b = dict.bias("bias", shape: [dim], wanted: beta != nil, fix: "the file's LayerNorm has a bias (β); build it with bias: true") {
            out[beta!.name] = b
        }
        return out
    }
}

/// nn.Conv1d: `weight` (out, in, k) and `bias` (out,), the layouts Huddle keeps.
extension Conv1DLayer: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        [W.name: dict.take("weight", shape: W.shape), b.name: dict.take("bias", shape: b.shape)]
    }
}

/// nn.Conv2d: `weight` (out, in, kh, kw) and `bias` (out,).
extension Conv2DLayer: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        [W.name: dict.take("weight", shape: W.shape), b.name: dict.take("bias", shape: b.shape)]
    }
}

/// nn.Embedding: `weight` (V, d) has one row per token; Huddle's W_encode (d, V) has one
/// column per word, so it is the transpose (word k of the vocabulary is PyTorch's id k).
extension WordEmbedding: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        let (d, V) = (W_encode.shape[0], W_encode.shape[1])
        let weight = dict.take("weight", shape: [V, d])
        return [W_encode.name: (try? weight.transposed().detached()) ?? weight]
    }
}
