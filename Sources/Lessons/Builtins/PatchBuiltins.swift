import Language
import Tensor
import Trace

/// The patches in effect for a session's traces. From code (`patch(…)`), they hold for
/// every trace after them until `unpatch()`; from `:patch` at a picture, for the runs of
/// the cell they were made in, until `:unpatch` — so a student's patch neither leaks into
/// later cells nor is ended by a cell's own `unpatch()`.
final class PatchBoard {
    var code: [TensorPatch] = []
    /// Each with its cell (from 1).
    var pictures: [(patch: TensorPatch, cell: Int)] = []

    /// What a trace in `cell` (from 1; nil at the prompt) applies.
    func active(inCell cell: Int?) -> [TensorPatch] {
        code + pictures.filter { $0.cell == cell }.map(\.patch)
    }
}

/// `patch(…)` and `unpatch()`: change one message at one step of the traces that follow,
/// so the rest of each run follows from the change — "what if love did not listen to
/// machine?"
enum PatchBuiltins {
    /// The index entries `patch` accepts to say which step.
    static let stepKeywords = ["layer", "head", "t", "step", "sequence", "round"]

    static func all(board: PatchBoard) -> [Builtin] {
        [
            Kit.builtin("patch", [Kit.p("name"), Kit.p("value"), Kit.p("row", .none), Kit.p("kind", .none)]
                        + stepKeywords.map { Kit.p($0, .none) },
                        "in the traces that follow, the tensor `name` of the step given by layer, head, t, step… is "
                        + "replaced (only its row `row`, when given) by `value`; the rest of the run follows from it. "
                        + "kind says which kind of step when the name is in several (\"attention\" or \"feedforward\" for delta). "
                        + "unpatch() ends all patches") { args in
                let name = try args.string("name")
                let kind = try kindFor(name, given: args["kind"])
                guard let schema = kind.schema.tensors.first(where: { $0.names.contains(name) }) else {
                    throw RuntimeError("\(article(kind)) \(kind.rawValue) step has no tensor called \(name)")
                }
                var step: [String: IndexValue] = [:]
                for keyword in stepKeywords where !args[keyword].isNone {
                    guard kind.schema.index.contains(where: { $0.key == keyword && $0.identifiesStep }) else {
                        throw RuntimeError("\(article(kind)) \(kind.rawValue) step is not told apart by \(keyword)",
                                           hint: "its steps are told apart by " + kind.schema.index.filter(\.identifiesStep).map(\.key).joined(separator: ", "))
                    }
                    step[keyword] = .int(try args.integer(keyword))
                }
                let at: [Int]
                switch args["row"] {
                case .none: at = []
                case .list(let items): at = try items.map { try Conversions.integer($0, what: "row") }
                default: at = [try args.integer("row")]
                }
                let value = try Conversions.tensor(args["value"], what: "patch()'s value").detached()
                board.code.append(TensorPatch(kind: kind, key: schema.key, step: step, at: at, value: value.snapshot))
                return .none
            },
            Kit.builtin("unpatch", [], "ends every patch made by patch(…): the traces that follow run as the model computes them (a :patch made at a picture stays until :unpatch)") { _ in
                board.code = []
                return .none
            },
        ]
    }

    /// The kind of step whose patchable tensor is called `name`, or the one given.
    static func kindFor(_ name: String, given: Value) throws -> EventKind {
        if case .string(let text) = given {
            guard let kind = EventKind(rawValue: text) else {
                throw RuntimeError("no kind of step called \(text)", hint: "the kinds: " + EventKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard kind.schema.tensors.contains(where: { $0.isPatchable && $0.names.contains(name) }) else {
                throw RuntimeError("\(name) cannot be patched at a \(kind.rawValue) step",
                                   hint: "there these can: " + patchable(kind).joined(separator: ", "))
            }
            return kind
        }
        let kinds = EventKind.allCases.filter { kind in kind.schema.tensors.contains { $0.isPatchable && $0.names.contains(name) } }
        guard let only = kinds.first else {
            throw RuntimeError("no step has a tensor \(name) that can be patched",
                               hint: "these can: " + EventKind.allCases.flatMap { kind in patchable(kind).map { "\($0) (\(kind.rawValue))" } }.joined(separator: ", "))
        }
        guard kinds.count == 1 else {
            throw RuntimeError("\(name) is in several kinds of step; say which with kind: " + kinds.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))
        }
        return only
    }

    static func article(_ kind: EventKind) -> String {
        "aeiou".contains(kind.rawValue.first ?? "x") ? "an" : "a"
    }

    static func patchable(_ kind: EventKind) -> [String] {
        kind.schema.tensors.filter(\.isPatchable).map(\.key)
    }
}
