import Tensor

// Attention and whole transformers in PyTorch's layouts: nn.MultiheadAttention and a
// nanoGPT-style GPT. Both stack W_q, W_k, W_v in one (3d, d) matrix whose rows go
// q, k, v and, within each, head by head — the split below is exact, no refitting.

/// The rows `start..<end` of a matrix or vector (axis 0).
private func rows(_ t: Tensor, _ start: Int, _ end: Int) -> Tensor {
    (try? t.slice(axis: 0, start: start, end: end)) ?? t
}

private func reshaped(_ t: Tensor, _ shape: [Int]) -> Tensor { (try? t.reshaped(shape).detached()) ?? t }

/// A (3d, d) stacked projection and its (3d) bias as Huddle's per-head Wq, Wk, Wv
/// (H, d_head, d) and bq, bk, bv (H, d_head): rows 0..<d are W_q with head j in rows
/// j·d_head..<(j+1)·d_head, then W_k, then W_v.
struct StackedProjections {
    let qkv: Tensor  // (3d, d)
    let bias: Tensor?  // (3d)

    func weight(_ part: Int, heads: Int, dim: Int) -> Tensor {
        reshaped(rows(qkv, part * dim, (part + 1) * dim), [heads, dim / heads, dim])
    }

    func bias(_ part: Int, heads: Int, dim: Int) -> Tensor? {
        bias.map { reshaped(rows($0, part * dim, (part + 1) * dim), [heads, dim / heads]) }
    }
}

extension MultiHeadAttention {
    /// Huddle's weights from a stacked q, k, v projection and an output projection
    /// (weight (d, d) and bias (d)) — nn.MultiheadAttention's `in_proj_*` and `out_proj`,
    /// nanoGPT's `c_attn` and `c_proj`.
    func weights(stacked: StackedProjections, out: Tensor, outBias: Tensor?) -> [String: Tensor] {
        var result = [Wq.name: stacked.weight(0, heads: heads, dim: dim), Wk.name: stacked.weight(1, heads: heads, dim: dim),
                      Wv.name: stacked.weight(2, heads: heads, dim: dim), W.name: out]
        if let bq, let bk, let bv, let b {
            result[bq.name] = stacked.bias(0, heads: heads, dim: dim)
            result[bk.name] = stacked.bias(1, heads: heads, dim: dim)
            result[bv.name] = stacked.bias(2, heads: heads, dim: dim)
            result[b.name] = outBias
        }
        return result.compactMapValues { $0 }
    }
}

/// What nn.MultiheadAttention has that Huddle's attention cannot be: separate key and
/// value widths (`q_proj_weight`, …) or learned extra key/value rows (`bias_k`).
private func noteUnsupported(_ dict: PyTorchDict) {
    if dict.has("q_proj_weight") {
        dict.note("the file's nn.MultiheadAttention has kdim/vdim of their own (q_proj_weight, k_proj_weight, v_proj_weight); Huddle's attention reads q, k and v from the same h")
    }
    if dict.has("bias_k") || dict.has("bias_v") {
        dict.note("the file's nn.MultiheadAttention was made with add_bias_kv=True; Huddle's attention has no extra key and value rows")
    }
}

private let attentionBiasFix = "the file's attention has biases (in_proj_bias, out_proj.bias); build it with bias: true"

/// nn.MultiheadAttention(d, heads, batch_first=…): `in_proj_weight` (3d, d) stacks
/// W_q, W_k, W_v; `in_proj_bias` (3d); `out_proj.weight` (d, d) is W and `out_proj.bias` b.
/// PyTorch's module returns W·Δ without the residual: compare with `update(h)`.
extension MultiHeadAttention: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        noteUnsupported(dict)
        let stacked = StackedProjections(
            qkv: dict.take("in_proj_weight", shape: [3 * dim, dim]),
            bias: dict.bias("in_proj_bias", shape: [3 * dim], wanted: hasBias, fix: attentionBiasFix))
        let out = dict.take("out_proj.weight", shape: [dim, dim])
        let outBias = dict.bias("out_proj.bias", shape: [dim], wanted: hasBias, fix: attentionBiasFix)
        return weights(stacked: stacked, out: out, outBias: outBias)
    }
}

/// nn.MultiheadAttention with one head, as above.
extension SelfAttention: PyTorchLoadable {
    public func weights(fromPyTorch dict: PyTorchDict) -> [String: Tensor] {
        noteUnsupported(dict)
        guard keyDim == dim, valueDim == dim else {
            dict.note("this SelfAttention has d_k = \(keyDim), d_v = \(valueDim); nn.MultiheadAttention's q, k and v are all as wide as h (d = \(dim))")
            return [:]
        }
        let stacked = StackedProjections(
            qkv: dict.take("in_proj_weight", shape: [3 * dim, dim]),
            bias: dict.bias("in_proj_bias", shape: [3 * dim], wanted: hasBias, fix: attentionBiasFix))
        var result = [Wq.name: stacked.weight(0, heads: 1, dim: dim).squeezedFirst, Wk.name: stacked.weight(1, heads: 1, dim: dim).squeezedFirst,
                      Wv.name: stacked.weight(2, heads: 1, dim: dim).squeezedFirst,
                      W.name: dict.take("out_proj.weight", shape: [dim, dim])]
        let outBias = dict.bias("out_proj.bias", shape: [dim], wanted: hasBias, fix: attentionBiasFix)
        if let bq, let bk, let bv, let b, let stackedBias = stacked.bias {
            result[bq.name] = rows(stackedBias, 0, dim)
            result[bk.name] = rows(stackedBias, dim, 2 * dim)
            result[bv.name] = rows(stackedBias, 2 * dim, 3 * dim)
            result[b.name] = outBias
        }
        return result.compactMapValues { $0 }
    }
}

private extension Tensor {
    /// (1, a, b) → (a, b).
    var squeezedFirst: Tensor { (try? reshaped(Array(shape.dropFirst())).detached()) ?? self }
}

/// A nanoGPT-style GPT (Karpathy's nanoGPT `model.py`; GPT-2's names):
///
///     transformer.wte.weight (V, d)          → W_encode
///     transformer.wpe.weight (block, d)      → position.P
///     transformer.h.N.ln_1.weight/bias       → blocks.N.ln1.gamma/beta
///     transformer.h.N.attn.c_attn.weight/bias (3d, d)/(3d) → blocks.N.attention.Wq, Wk, Wv, bq, bk, bv
///     transformer.h.N.attn.c_proj.weight/bias → blocks.N.attention.W, b
///     transformer.h.N.ln_2.weight/bias       → blocks.N.ln2.gamma/beta
///     transformer.h.N.mlp.c_fc.weight/bias   → blocks.N.feedforward.W1, b1
///     transformer.h.N.mlp.c_proj.weight/bias → blocks.N.feedforward.W2, b2
///     transformer.ln_f.weight/bias           → ln_f.gamma/beta
///     lm_head.weight (V, d)                  → W_decode, or (tied) equal to wte
///
/// nanoGPT's causal-mask buffer `attn.bias` (1, 1, block, block) is read and ignored.
/// Hugging Face's GPT-2 files use the same names with Conv1D weights stored (in, out);
/// they are recognised by `c_attn.weight` being (d, 3d) and transposed. Biases are all
/// or none (nanoGPT's `bias`), GELU the exact form (build with `gelu_erf`; Hugging Face's
/// GPT-2 uses the tanh form, `gelu`) — the activation cannot be read from a file.
extension GPT: PyTorchLoadable {
    public func weights(fromPyTorch root: PyTorchDict) -> [String: Tensor] {
        let dict = root.has("transformer.wte.weight") ? root.scoped("transformer.") : root
        let d = dim
        // Hugging Face's Conv1D keeps weights as (in, out).
        let transposed = dict.peek("h.0.attn.c_attn.weight")?.shape == [d, 3 * d] && d != 3 * d
        func linear(_ scope: PyTorchDict, out: Int, in width: Int) -> Tensor {
            guard transposed else { return scope.take("weight", shape: [out, width]) }
            let t = scope.take("weight", shape: [width, out])
            return (try? t.transposed().detached()) ?? t
        }
        noteBiasKind(dict)
        noteSizes(dict)
        var result: [String: Tensor] = [
            W_encode.name: dict.take("wte.weight", shape: [vocabularySize, d]),
            "position.P": dict.take("wpe.weight", shape: [blockSize, d]),
        ]
        let fileLayers = Set(dict.names.compactMap { name -> Int? in
            let parts = name.split(separator: ".")
            return parts.count > 2 && parts[0] == "h" ? Int(parts[1]) : nil
        })
        if fileLayers.count != blocks.count {
            dict.note("the file has \(fileLayers.count) block\(fileLayers.count == 1 ? "" : "s") (h.0 …), the GPT has \(blocks.count); build it with layers: \(fileLayers.count)")
        }
        let wantsBias = biases == .all
        let otherBias = biases != .none
        for (n, block) in blocks.enumerated() {
            let h = dict.scoped("h.\(n).")
            func put(_ part: String, _ weights: [String: Tensor]) {
                for (name, t) in weights { result["blocks.\(n).\(part).\(name)"] = t }
            }
            put("ln1", block.ln1.weights(fromPyTorch: h.scoped("ln_1.")))
            put("ln2", block.ln2.weights(fromPyTorch: h.scoped("ln_2.")))
            h.skip("attn.bias")  // nanoGPT's causal mask, a buffer
            h.skip("attn.masked_bias")  // Hugging Face's
            let attention = h.scoped("attn.")
            let qkvBias = wantsBias ? attention.take("c_attn.bias", shape: [3 * d]) : nil
            let stacked = StackedProjections(qkv: linear(attention.scoped("c_attn."), out: 3 * d, in: d), bias: qkvBias)
            let out = linear(attention.scoped("c_proj."), out: d, in: d)
            let outBias = wantsBias ? attention.take("c_proj.bias", shape: [d]) : nil
            put("attention", block.attention.weights(stacked: stacked, out: out, outBias: outBias))
            let ff = block.feedforward, hidden = ff.hiddenSize
            var mlp = [ff.first.W.name: linear(h.scoped("mlp.c_fc."), out: hidden, in: d),
                       ff.second.W.name: linear(h.scoped("mlp.c_proj."), out: d, in: hidden)]
            if otherBias, let b1 = ff.first.b, let b2 = ff.second.b {
                mlp[b1.name] = h.take("mlp.c_fc.bias", shape: [hidden])
                mlp[b2.name] = h.take("mlp.c_proj.bias", shape: [d])
            }
            put("feedforward", mlp)
        }
        for (name, t) in finalNorm.weights(fromPyTorch: dict.scoped("ln_f.")) { result["ln_f.\(name)"] = t }
        decoder(root, wte: result[W_encode.name], into: &result)
        return result
    }

    /// `lm_head.weight`: the untied decoder, or (tied) a copy of wte that must equal it.
    private func decoder(_ root: PyTorchDict, wte: Tensor?, into result: inout [String: Tensor]) {
        if let W_decode {
            if !root.has("lm_head.weight") {
                root.note("the file has no lm_head.weight, so its decoder is tied to wte; build the GPT with tied: true")
            }
            result[W_decode.name] = root.take("lm_head.weight", shape: [vocabularySize, dim])
        } else if let head = root.peek("lm_head.weight") {
            let same = head.shape == wte?.shape && head.scalars == wte?.scalars
            if same { root.skip("lm_head.weight") } else {
                root.note("lm_head.weight differs from transformer.wte.weight, so the file's decoder is not tied; build the GPT with tied: false")
            }
        }
    }

    /// The sizes a file's token and position tables show, when they are not the model's:
    /// what to build, rather than every weight the wrong size mis-shapes.
    private func noteSizes(_ dict: PyTorchDict) {
        guard let wte = dict.peek("wte.weight")?.shape, wte.count == 2 else { return }
        if wte[1] != dim {
            dict.note("the file's vectors have d = \(wte[1]) (wte.weight is \(formatShape(wte))); build the GPT with dim: \(wte[1])")
        }
        if wte[0] != vocabularySize {
            dict.note("the file's vocabulary has \(wte[0]) tokens and this GPT's text gives \(vocabularySize); build it from the text it was trained on")
        }
        if let wpe = dict.peek("wpe.weight")?.shape, wpe.count == 2, wpe[0] != blockSize {
            dict.note("the file has \(wpe[0]) positions (wpe.weight is \(formatShape(wpe))); build the GPT with block_size: \(wpe[0])")
        }
    }

    /// One note when the file's biases are not the model's kind.
    private func noteBiasKind(_ dict: PyTorchDict) {
        let attention = dict.has("h.0.attn.c_attn.bias"), rest = dict.has("h.0.mlp.c_fc.bias") || dict.has("ln_f.bias")
        let kind: TransformerBlock.Biases? = switch (attention, rest) {
        case (true, true): .all
        case (false, true): .lecture
        case (false, false): TransformerBlock.Biases.none
        default: nil
        }
        guard kind != biases else { return }
        let say: [TransformerBlock.Biases: String] = [
            .all: "the file has biases everywhere (nanoGPT's bias=True); build the GPT with bias: true",
            .lecture: "the file has biases except in attention; build the GPT with bias: \"lecture\"",
            .none: "the file has no biases (nanoGPT's bias=False); build the GPT with bias: false",
        ]
        dict.note(kind.flatMap { say[$0] } ?? "the file has attention biases but none elsewhere; Huddle's GPT has biases everywhere, nowhere, or everywhere but attention")
    }
}
