import Language
import Render
import Tensor
import Trace

/// `:patch` at a picture: the text `NAME[i, …] = EXPR` made into a patch of that step,
/// checked against the picture's own tensor before it is kept.
extension LessonSession {
    /// Every patch in effect: those made in code, then those made at pictures.
    public var patches: [TensorPatch] { host.patches.code + host.patches.pictures.map(\.patch) }

    /// The patches made at pictures, with their cells (from 0), as `:unpatch N` numbers them.
    public var picturePatches: [(patch: TensorPatch, cell: Int)] { host.patches.pictures.map { ($0.patch, $0.cell - 1) } }

    /// The patches a run of cell `cell` (from 0) applies.
    public func patches(forCell cell: Int) -> [TensorPatch] { host.patches.active(inCell: cell + 1) }

    /// Parses and checks `text` at `event`'s picture, in cell `cell` (from 0), and keeps
    /// the patch for that cell's runs; or says what is wrong, and what could be patched.
    public func patch(_ text: String, at event: TraceEvent, inCell cell: Int) -> Result<TensorPatch, PatchError> {
        guard let equals = Self.assignment(in: text) else {
            return .failure(PatchError("write it as NAME = VALUE or NAME[row] = VALUE, e.g. :patch A[1] = [0, 0, 1, 0]"))
        }
        let target = String(text[..<equals]).trimmingWhitespace(), source = String(text[text.index(after: equals)...]).trimmingWhitespace()
        let name = String(target.prefix { $0 != "[" }).trimmingWhitespace()
        var at: [Int] = []
        if let open = target.firstIndex(of: "[") {
            guard target.hasSuffix("]") else { return .failure(PatchError("\(target): the index needs its closing ]")) }
            let inside = target[target.index(after: open)..<target.index(before: target.endIndex)]
            for part in inside.split(separator: ",") {
                guard let i = Int(String(part).trimmingWhitespace()) else {
                    return .failure(PatchError("\(target): an index is a whole number, like A[1] or A[1, 2]"))
                }
                at.append(i)
            }
        }
        let patchable = event.declaredTensors.filter { event.patchability(of: $0.schema).patchable }
        let canPatch = patchable.map { $0.schema.names.joined(separator: " or ") }.joined(separator: ", ")
        guard let (schema, snapshot) = event.declaredTensors.first(where: { $0.schema.names.contains(name) }) else {
            if event.index(name) != nil {
                return .failure(PatchError("\(name) says where this step is, not a message it passes on" + (canPatch.isEmpty ? "" : "; these can be patched here: \(canPatch)")))
            }
            return .failure(PatchError("this \(event.kind.rawValue) step has no \(name)" + (canPatch.isEmpty ? "" : "; its messages that can be patched: \(canPatch)")))
        }
        let (isPatchable, unusedBecause) = event.patchability(of: schema)
        guard isPatchable else {
            let reason = unusedBecause
                ?? (schema.role == .weight ? "\(name) is a weight: change it with model.NAME = …, then :rerun"
                : "\(name) cannot be patched here")
            return .failure(PatchError(canPatch.isEmpty ? "nothing of a \(event.kind.rawValue) step can be patched"
                : "\(reason); these can be patched here: \(canPatch)"))
        }
        let value: Tensor
        switch self.value(of: source, at: event, name: ":patch") {
        case .success(let v):
            do { value = try Conversions.tensor(v, what: "the patched value").detached() } catch {
                return .failure(PatchError("\(error)"))
            }
        case .failure(let diagnostic):
            return .failure(PatchError(diagnostic.render()))
        }
        let patch = TensorPatch(kind: event.kind, key: schema.key, step: TensorPatch.step(of: event), at: at, value: value.snapshot)
        do {
            _ = try patch.apply(to: snapshot)
        } catch {
            return .failure(error)
        }
        host.patches.pictures.append((patch, cell + 1))
        return .success(patch)
    }

    /// Ends picture patch `number` (from 1), or all of them; false when there is no such patch.
    @discardableResult
    public func unpatch(_ number: Int? = nil) -> Bool {
        guard let number else {
            host.patches.pictures = []
            return true
        }
        guard host.patches.pictures.indices.contains(number - 1) else { return false }
        host.patches.pictures.remove(at: number - 1)
        return true
    }

    /// The `=` of `NAME[…] = EXPR` (not one of `==`, `<=`, `>=`, `!=`).
    static func assignment(in text: String) -> String.Index? {
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "=" {
                let next = text.index(after: i)
                let previous = i > text.startIndex ? text[text.index(before: i)] : " "
                if (next == text.endIndex || text[next] != "=") && !"<>!=".contains(previous) { return i }
                i = next
                continue
            }
            i = text.index(after: i)
        }
        return nil
    }
}
