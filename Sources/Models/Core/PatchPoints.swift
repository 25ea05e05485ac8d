import Tensor
import Trace

/// Where models let a patch change a message (`:patch A[1] = …`): just before the next
/// computation reads it. Without patches (always, outside a trace) the tensor passes
/// through untouched; a patched tensor is a new constant, so gradients do not flow
/// through the changed message.
extension Patching {
    /// `t` as the patches for `key` at the step `index` change it.
    static func point<E: EventSchema>(_ key: TensorKey<E>, at index: [(IndexKey<E>, IndexValue)], _ t: Tensor) -> Tensor {
        guard let patched = patched(key, at: index, { t.detached().snapshot }) else { return t }
        return patched.tensor
    }

    /// For a tensor whose leading axes enumerate steps — (B, H, …) for B sequences and H
    /// heads — each block changed by the patches of its own step, `index(b, h)`.
    static func point<E: EventSchema>(_ key: TensorKey<E>, blocksOf t: Tensor,
                                      index: (_ b: Int, _ h: Int) -> [(IndexKey<E>, IndexValue)]) -> Tensor {
        guard any(for: E.kind), t.rank >= 3 else { return t }
        let (B, H) = (t.shape[0], t.shape[1])
        let block = t.count / max(B * H, 1)
        let inner = Array(t.shape.dropFirst(2))
        var data = t.detached().scalars
        var changed = false
        for b in 0..<B {
            for h in 0..<H {
                let start = (b * H + h) * block
                guard let patched = patched(key, at: index(b, h), { Snapshot(shape: inner, data: Array(data[start..<(start + block)])) })
                else { continue }
                data.replaceSubrange(start..<(start + block), with: patched.data)
                changed = true
            }
        }
        guard changed else { return t }
        return (try? Tensor(shape: t.shape, scalars: data)) ?? t
    }
}
