import Language
import Render
import Tensor

/// What a lesson file states about how its pictures are drawn, in HTML comments the
/// Markdown does not show: `<!-- huddle: focus love -->`, `<!-- huddle: scale 2 -->`,
/// `<!-- huddle: steps 1-3, last -->` (and `no-skip`, which locks solutions; `timeout 20`
/// and `max-memory 500MB`, the lesson's own budgets). Each holds from where it stands;
/// `steps` holds for the next cell only; the budgets hold for the whole lesson and can
/// only be tighter than the command line's. `:help settings`.
public struct LessonSetting: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case noSkip
        /// Whose numbers pictures fill in; nil resets.
        case focus(Focus?)
        /// Signed heatmaps colour up to this magnitude; nil resets.
        case scale(Float?)
        /// Which of the next cell's steps are drawn.
        case steps(StepSelection)
        /// The most seconds the whole lesson may run under `huddle test` and `huddle run`.
        case timeout(Double)
        /// The most memory its tensors may take, in bytes.
        case maxMemory(Int)
    }

    public var kind: Kind
    /// How many cells come before it: it holds from cell `cellsBefore` on.
    public var cellsBefore: Int
    public var line: Int

    static let prefix = "<!-- huddle:"

    /// The setting on a line `<!-- huddle: … -->`, or a located problem; nil when the line
    /// is not a setting at all.
    static func parse(_ line: String, number: Int, path: String, cellsBefore: Int) -> Result<LessonSetting, PinnedOutput.Problem>? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix(prefix), trimmed.hasSuffix("-->") else { return nil }
        let body = trimmed.dropFirst(prefix.count).dropLast(3).trimmingWhitespace()
        let column = line.distance(from: line.startIndex, to: line.range(of: prefix)!.upperBound) + 2
        func problem(_ text: String) -> Result<LessonSetting, PinnedOutput.Problem> {
            .failure(.init(message: LocatedProblem.render("\(text) (:help settings lists them)", path: path, line: number,
                                                          column: column, length: body.count, lineText: line)))
        }
        let words = body.split(separator: " ", maxSplits: 1).map(String.init)
        let name = words.first ?? ""
        let value = words.count > 1 ? words[1].trimmingWhitespace() : ""
        let kind: Kind
        switch name {
        case "no-skip" where value.isEmpty:
            kind = .noSkip
        case "focus" where !value.isEmpty:
            if value == "none" { kind = .focus(nil) }
            else if let row = Int(value.replacingOccurrences(of: "−", with: "-")) { kind = .focus(.row(row)) }
            else { kind = .focus(.agent(value)) }
        case "scale" where !value.isEmpty:
            if value == "auto" { kind = .scale(nil) }
            else if let limit = Float(value), limit > 0, limit.isFinite { kind = .scale(limit) }
            else { return problem("`scale` takes a number above 0 (signed heatmaps colour from −N to N) or auto; found `\(value)`") }
        case "steps" where !value.isEmpty:
            guard let selection = StepSelection(value) else {
                return problem("`steps` takes step numbers from 1, ranges and `last`, like `steps 1-3, 8, last`; found `\(value)`")
            }
            kind = .steps(selection)
        case "timeout" where !value.isEmpty:
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                return problem("`timeout` takes the seconds the lesson may run, a number above 0; found `\(value)`")
            }
            kind = .timeout(seconds)
        case "max-memory" where !value.isEmpty:
            guard let bytes = MemoryBudget.parseBytes(value), bytes > 0 else {
                return problem("`max-memory` takes a size such as 500MB or 2GB; found `\(value)`")
            }
            kind = .maxMemory(bytes)
        case "no-skip", "focus", "scale", "steps", "timeout", "max-memory":
            return problem(name == "no-skip" ? "`no-skip` takes nothing after it" : "`\(name)` needs a value")
        default:
            let known = ["no-skip", "focus", "scale", "steps", "timeout", "max-memory"]
            let suggestion = Suggestion.phrase(for: name, among: known)
            return problem("no setting called `\(name)`" + (suggestion.isEmpty ? "; the settings are " + known.joined(separator: ", ") : suggestion))
        }
        return .success(LessonSetting(kind: kind, cellsBefore: cellsBefore, line: number))
    }
}

/// `1-3, 8, last`: steps of one cell, counted from 1.
public struct StepSelection: Sendable, Equatable {
    public enum Item: Sendable, Equatable {
        case range(Int, Int)
        case last
    }

    public var items: [Item]

    init?(_ text: String) {
        var items: [Item] = []
        for part in text.split(separator: ",") {
            let p = part.trimmingWhitespace()
            if p == "last" { items.append(.last); continue }
            let ends = p.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingWhitespace()) }
            if ends.count == 1, let a = ends[0], a >= 1 { items.append(.range(a, a)) }
            else if ends.count == 2, let a = ends[0], let b = ends[1], a >= 1, b >= a { items.append(.range(a, b)) }
            else { return nil }
        }
        guard !items.isEmpty else { return nil }
        self.items = items
    }

    /// Whether step `index` (from 0) of `count` is drawn.
    public func selects(_ index: Int, of count: Int) -> Bool {
        items.contains { item in
            switch item {
            case .last: index == count - 1
            case .range(let a, let b): (a - 1...b - 1).contains(index)
            }
        }
    }
}

/// The settings in force at one cell.
public struct CellSettings: Sendable, Equatable {
    public var focus: Focus?
    public var colorLimit: Float?
    public var steps: StepSelection?

    public init(focus: Focus? = nil, colorLimit: Float? = nil, steps: StepSelection? = nil) {
        self.focus = focus
        self.colorLimit = colorLimit
        self.steps = steps
    }

    /// `options` with this cell's colour scale.
    public func options(_ options: RenderOptions) -> RenderOptions {
        var copy = options
        if let colorLimit { copy.colorLimit = colorLimit }
        return copy
    }
}

extension LessonDocument {
    /// The settings in force at cell `cell`: the last focus and scale stated before it, and
    /// a `steps` stated after the cell before it.
    public func settings(forCell cell: Int) -> CellSettings {
        var out = CellSettings()
        for setting in settings where setting.cellsBefore <= cell {
            switch setting.kind {
            case .noSkip, .timeout, .maxMemory: break
            case .focus(let focus): out.focus = focus
            case .scale(let limit): out.colorLimit = limit
            case .steps(let selection): if setting.cellsBefore == cell { out.steps = selection }
            }
        }
        return out
    }
}
