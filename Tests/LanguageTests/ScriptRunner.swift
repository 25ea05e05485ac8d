import Foundation
@testable import Language

/// The script corpus: small programs with their expected output and errors written
/// inline as comments.
///
///     print(1 + 2)            # expect: 3
///     x = (1 +                # expect error 3:9: expected an expression …
///     print(atn)              # expect runtime error: name 'atn' is not defined …
///     print(atn)              # expect runtime error 4:7: name 'atn' …
///                             # expect hint: …
///
/// A line `# ---` starts a new section, run on its own with fresh state (so one file
/// can hold many error cases); sections keep their file line numbers. `# host: vec`
/// makes numeric list literals host `Vec`s; `# budget: N` sets the step budget.
enum ScriptCorpus {
    static let directory: URL? = Bundle.module.resourceURL?.appendingPathComponent("Scripts")

    static let paths: [String] = {
        guard let directory, let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".hud") }.sorted()
    }()

    static func text(of path: String) -> String {
        guard let directory else { return "" }
        return (try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }
}

struct ScriptSection {
    enum ExpectedError {
        case syntax(line: Int, column: Int?, message: String)
        case runtime(line: Int, column: Int?, message: String)
    }

    var text = ""
    var firstLine = 1
    var outputs: [String] = []
    var error: ExpectedError?
    var hint: String?
    var expectationCount = 0
}

struct Script {
    var sections: [ScriptSection] = []
    var convertsLiterals = false
    var budget = 1_000_000

    var expectationCount: Int { sections.reduce(0) { $0 + $1.expectationCount } }

    init(_ text: String) {
        var section = ScriptSection()
        var lines: [String] = []
        for (offset, line) in Source.splitLines(text).enumerated() {
            let number = offset + 1
            if line == "# ---" {
                section.text = lines.joined(separator: "\n")
                sections.append(section)
                section = ScriptSection(firstLine: number + 1)
                lines = []
                continue
            }
            lines.append(line)
            if line.hasPrefix("# host: vec") { convertsLiterals = true }
            if line.hasPrefix("# budget: "), let budget = Int(line.dropFirst(10)) { self.budget = budget }
            guard let marker = line.range(of: "# expect") else { continue }
            let rest = String(line[marker.upperBound...])
            section.expectationCount += 1
            if rest.hasPrefix(": ") || rest == ":" {
                section.outputs.append(String(rest.dropFirst(2)))
            } else if rest.hasPrefix(" hint: ") {
                section.hint = String(rest.dropFirst(7))
            } else if rest.hasPrefix(" runtime error") {
                let (line, column, message) = Script.located(String(rest.dropFirst(14)), defaultLine: number)
                section.error = .runtime(line: line, column: column, message: message)
            } else if rest.hasPrefix(" error") {
                let (line, column, message) = Script.located(String(rest.dropFirst(6)), defaultLine: number)
                section.error = .syntax(line: line, column: column, message: message)
            } else {
                section.expectationCount -= 1
            }
        }
        section.text = lines.joined(separator: "\n")
        sections.append(section)
    }

    /// Parses ` L:C: message` or `: message`.
    static func located(_ text: String, defaultLine: Int) -> (Int, Int?, String) {
        if text.hasPrefix(": ") { return (defaultLine, nil, String(text.dropFirst(2))) }
        let trimmed = text.drop { $0 == " " }
        guard let colon = trimmed.range(of: ": ") else { return (defaultLine, nil, String(trimmed)) }
        let position = trimmed[..<colon.lowerBound].split(separator: ":").compactMap { Int($0) }
        guard position.count == 2 else { return (defaultLine, nil, String(trimmed)) }
        return (position[0], position[1], String(trimmed[colon.upperBound...]))
    }

    /// Runs every section; returns a description of each mismatch.
    func run(name: String) -> [String] {
        var problems: [String] = []
        for section in sections {
            let host = TestHost(convertsLiterals: convertsLiterals)
            let interpreter = makeInterpreter(host, budget: budget)
            let source = Source(name: name, text: section.text, firstLine: section.firstLine)
            var actualError: Diagnostic?
            switch Parser.parse(source) {
            case .complete(let program): actualError = interpreter.run(program).diagnostic
            case .failure(let diagnostics): actualError = diagnostics.first
            case .incomplete: problems.append("section at line \(section.firstLine): parse returned .incomplete in file mode")
            }
            var actualLines = host.output.components(separatedBy: "\n")
            if actualLines.last == "" { actualLines.removeLast() }
            if actualLines != section.outputs {
                problems.append("section at line \(section.firstLine): output\n  expected: \(section.outputs)\n  actual:   \(actualLines)")
            }
            problems += compare(section, actualError)
        }
        return problems
    }

    private func compare(_ section: ScriptSection, _ actual: Diagnostic?) -> [String] {
        let at = "section at line \(section.firstLine)"
        guard let expected = section.error else {
            guard let actual else { return [] }
            return ["\(at): unexpected error\n\(actual.render())"]
        }
        guard let actual else { return ["\(at): expected an error, got none"] }
        let (kind, line, column, message): (Diagnostic.Kind, Int, Int?, String)
        switch expected {
        case .syntax(let l, let c, let m): (kind, line, column, message) = (.syntaxError, l, c, m)
        case .runtime(let l, let c, let m): (kind, line, column, message) = (.runtimeError, l, c, m)
        }
        var problems: [String] = []
        if actual.kind != kind || actual.message != message || actual.location.line != line
            || (column != nil && actual.location.column != column) {
            problems.append("\(at): expected \(kind) \(line):\(column.map(String.init) ?? "?"): \(message)\n  got \(actual.kind) \(actual.location): \(actual.message)")
        }
        if let hint = section.hint, actual.hint != hint {
            problems.append("\(at): expected hint '\(hint)', got '\(actual.hint ?? "none")'")
        }
        return problems
    }
}
