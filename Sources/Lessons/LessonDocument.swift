import Language
import Render

/// A lesson file: Markdown prose with fenced ```huddle code cells.
///
/// The file reads well as plain text and on a code-hosting site; Huddle splits it into
/// sections a student steps through: each run of prose up to the next cell or heading is
/// one step, and each cell is one pause.
public struct LessonDocument: Sendable {
    public enum Section: Sendable, Equatable {
        /// Markdown shown as it is; `line` is its first line in the file (1-based).
        case prose(String, line: Int)
        /// Code of one cell; `line` is the file line of its first code line, so messages
        /// point into the file.
        case cell(String, line: Int)
        /// A question the student answers before going on (a ```exercise block).
        case exercise(Exercise)
    }

    /// The file's path as given (for messages).
    public let path: String
    /// The first level-1 heading, or the file name.
    public let title: String
    public let sections: [Section]
    /// The file's lines, for quoting a line in a message about code that runs outside a
    /// cell (an exercise's solution, a declared wrong answer).
    let lines: [String]

    public var cells: [(code: String, line: Int)] {
        sections.compactMap { if case .cell(let code, let line) = $0 { (code, line) } else { nil } }
    }

    /// The exercises, in order (`exercises[n]` is the n-th ```exercise block).
    public var exercises: [Exercise] {
        sections.compactMap { if case .exercise(let exercise) = $0 { exercise } else { nil } }
    }

    /// Whether the lesson forbids `:skip` and `:solution` at its exercises
    /// (`<!-- huddle: no-skip -->` on a line of its own).
    public let locksSolutions: Bool

    /// The line that locks a lesson's solutions: an HTML comment, so the Markdown shows nothing.
    static let lockLine = "<!-- huddle: no-skip -->"

    /// The speaker notes (`SpeakerNotes.swift`), for `huddle present --notes`.
    public let notes: [SpeakerNote]

    /// The `<!-- huddle: … -->` settings, in file order (`LessonSettings.swift`).
    public let settings: [LessonSetting]

    /// The lesson's own time budget (`timeout N`; the smallest, if several), with its line.
    public var timeLimit: (seconds: Double, line: Int)? {
        settings.compactMap { if case .timeout(let s) = $0.kind { (s, $0.line) } else { nil } }.min { $0.0 < $1.0 }
    }

    /// The lesson's own memory budget (`max-memory SIZE`; the smallest), with its line.
    public var memoryLimit: (bytes: Int, line: Int)? {
        settings.compactMap { if case .maxMemory(let b) = $0.kind { (b, $0.line) } else { nil } }.min { $0.0 < $1.0 }
    }

    /// The printed outputs the file pins (```output blocks), in file order.
    public let pins: [PinnedOutput]

    /// The pin of cell `cell`, if the file pins its output.
    public func pin(ofCell cell: Int) -> PinnedOutput? { pins.first { $0.cell == cell } }

    /// Parses lesson text. Never fails: an unclosed ```huddle fence runs to the end of the
    /// file and is reported by `problems`.
    public init(path: String, text: String) {
        self.path = path
        var sections: [Section] = []
        var prose: [String] = []
        var proseStart = 1
        var cell: [String]? = nil
        var cellStart = 0
        var exercise: (info: String, start: Int, lines: [(text: String, line: Int)])? = nil
        var pin: (info: Substring, fence: Int, lines: [String])? = nil
        var pins: [PinnedOutput] = []
        var settings: [LessonSetting] = []
        var notes: [SpeakerNote] = []
        var note: (start: Int, lines: [String], fenced: Bool)? = nil
        var locks = false
        var otherFence: String? = nil
        var title: String?
        var problems: [String] = []

        func flushProse() {
            let text = prose.joined(separator: "\n")
            if !text.allSatisfy(\.isWhitespace) {
                // Drop blank lines at either end but keep the line number of the first text.
                let lines = prose
                let first = lines.firstIndex { !$0.allSatisfy(\.isWhitespace) } ?? 0
                let last = lines.lastIndex { !$0.allSatisfy(\.isWhitespace) } ?? lines.count - 1
                sections.append(.prose(lines[first...last].joined(separator: "\n"), line: proseStart + first))
            }
            prose = []
        }

        // Lines as the scanner counts them ("\r\n" is one Character: splitting Characters
        // at "\n" had left a Windows file one line).
        let lines = Source.splitLines(text)
        let exerciseParser = ExerciseParser(path: path, fileLines: lines)
        /// A problem at the line that opens a block, underlined.
        func opening(_ message: String, at line: Int) -> String {
            LocatedProblem.render(message, path: path, line: line, lineText: lines[safe: line - 1])
        }
        func closesFence(_ trimmed: Substring) -> Bool {
            trimmed.hasPrefix("```") && trimmed.drop(while: { $0 == "`" }).allSatisfy(\.isWhitespace)
        }
        // Counted as cells are added: counting the sections at every line (each line is
        // asked whether it is a setting) made 50,000 headings take 26 s.
        var cellCount = 0
        func addExercise(_ block: (info: String, start: Int, lines: [(text: String, line: Int)])) {
            let cellsBefore = cellCount
            switch exerciseParser.parse(info: block.info, fenceLine: block.start, lines: block.lines, cellsBefore: cellsBefore) {
            case .success(let parsed): sections.append(.exercise(parsed))
            case .failure(let found): problems += found.messages
            }
        }
        // A note belongs to the section before it — the paragraph being gathered, if any.
        var noteSection: Int { prose.contains { !$0.allSatisfy(\.isWhitespace) } ? sections.count : max(sections.count - 1, 0) }
        for (i, line) in lines.enumerated() {
            let number = i + 1
            let trimmed = line.drop(while: { $0 == " " })
            // Blocks being gathered are appended to in place (bound only when they close):
            // a copy per line had made a 100,000-line cell take minutes to load.
            if let fenced = note?.fenced {
                if fenced ? closesFence(trimmed) : trimmed.contains("-->"), var block = note {
                    if !block.fenced, let end = trimmed.range(of: "-->") { block.lines.append(String(trimmed[..<end.lowerBound])) }
                    let text = block.lines.joined(separator: "\n").trimmingWhitespace()
                    notes.append(SpeakerNote(section: noteSection, line: block.start, text: text))
                    note = nil
                } else {
                    note?.lines.append(line)
                }
                continue
            }
            if pin != nil {
                if closesFence(trimmed), let block = pin {
                    switch PinnedOutput.parse(info: block.info, path: path, fenceLine: block.fence, fenceText: lines[safe: block.fence - 1],
                                              lines: block.lines, cell: cellCount - 1) {
                    case .success(let parsed): pins.append(parsed)
                    case .failure(let problem): problems.append(problem.message)
                    }
                    pin = nil
                    proseStart = number + 1
                } else {
                    pin?.lines.append(line)
                }
                continue
            }
            if exercise != nil {
                if closesFence(trimmed), let block = exercise {
                    addExercise(block)
                    exercise = nil
                    proseStart = number + 1
                } else {
                    exercise?.lines.append((line, number))
                }
                continue
            }
            if cell != nil {
                if closesFence(trimmed), let code = cell {
                    sections.append(.cell(code.joined(separator: "\n"), line: cellStart))
                    cellCount += 1
                    cell = nil
                    proseStart = number + 1
                } else {
                    cell?.append(line)
                }
                continue
            }
            if let fence = otherFence {
                prose.append(line)
                if trimmed.hasPrefix(fence) && trimmed.drop(while: { $0 == "`" }).allSatisfy(\.isWhitespace) { otherFence = nil }
                continue
            }
            if let text = SpeakerNote.oneLine(trimmed) {
                notes.append(SpeakerNote(section: noteSection, line: number, text: text))
                continue
            }
            if SpeakerNote.opens(trimmed) {
                let first = trimmed.trimmingWhitespace().dropFirst(SpeakerNote.opening.count).trimmingWhitespace()
                note = (number, first.isEmpty ? [] : [first], false)
                continue
            }
            if trimmed.hasPrefix("```") && trimmed.drop(while: { $0 == "`" }).trimmingWhitespace() == "notes" {
                note = (number, [], true)
                continue
            }
            if let parsed = LessonSetting.parse(line, number: number, path: path, cellsBefore: cellCount) {
                switch parsed {
                case .success(let setting):
                    if setting.kind == .noSkip { locks = true }
                    settings.append(setting)
                case .failure(let problem): problems.append(problem.message)
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                let info = trimmed.drop(while: { $0 == "`" }).trimmingWhitespace()
                if info == "huddle" {
                    flushProse()
                    cell = []
                    cellStart = number + 1
                    continue
                }
                if info == "exercise" || info.hasPrefix("exercise ") {
                    flushProse()
                    exercise = (info, number, [])
                    continue
                }
                if info == "output" || info.hasPrefix("output ") {
                    // It pins the cell just before it: only blank lines may come between.
                    if case .cell? = sections.last, prose.allSatisfy({ $0.allSatisfy(\.isWhitespace) }),
                       pins.last?.cell != cellCount - 1 {
                        prose = []
                        pin = (info[...], number, [])
                        continue
                    }
                    problems.append(LocatedProblem.render("an ```output block pins what the ```huddle cell just before it prints; "
                                                          + "here no cell comes right before it (only blank lines may stand between them)",
                                                          path: path, line: number, lineText: line))
                }
                otherFence = String(trimmed.prefix(while: { $0 == "`" }))
                prose.append(line)
                continue
            }
            if trimmed.hasPrefix("#") && trimmed.drop(while: { $0 == "#" }).first == " " {
                if title == nil && trimmed.hasPrefix("# ") {
                    // The title is shown as plain text (headers, menus): no emphasis markers.
                    title = trimmed.dropFirst(2).trimmingWhitespace().filter { $0 != "*" && $0 != "`" }
                }
                // A heading starts a new step.
                flushProse()
                proseStart = number
            }
            if prose.isEmpty { proseStart = number }
            prose.append(line)
        }
        if let code = cell {
            sections.append(.cell(code.joined(separator: "\n"), line: cellStart))
            cellCount += 1
            problems.append(opening("the ```huddle cell opened here is never closed with ```", at: cellStart - 1))
        } else if let block = exercise {
            problems.append(opening("the ```exercise block opened here is never closed with ```", at: block.start))
        } else if let block = pin {
            problems.append(opening("the ```output block opened here is never closed with ```", at: block.fence))
        } else if let block = note {
            problems.append(opening("the speaker note opened here is never closed (with \(block.fenced ? "```" : "-->"))", at: block.start))
        } else {
            flushProse()
        }
        // A prediction is about the cell after it: there must be one.
        for case .exercise(let e) in sections where e.kind == .predict && e.cellsBefore >= cellCount {
            problems.append(opening("this predict exercise has no ```huddle cell after it; a prediction is checked when the next cell has run", at: e.line))
        }
        self.sections = sections
        self.lines = lines
        self.problems = problems
        self.locksSolutions = locks
        self.pins = pins
        self.settings = settings
        self.notes = notes
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        self.title = title ?? fileName
    }

    /// Structural problems found while reading (an unclosed cell), as located messages.
    public let problems: [String]

    /// A script file: all code, one cell starting at line 1.
    public init(path: String, script: String) {
        self.path = path
        title = path.split(separator: "/").last.map(String.init) ?? path
        sections = [.cell(script, line: 1)]
        lines = Source.splitLines(script)
        problems = []
        locksSolutions = false
        pins = []
        settings = []
        notes = []
    }
}

extension Substring {
    func trimmingSuffix(_ suffix: Character) -> Substring {
        last == suffix ? dropLast() : self
    }
}

