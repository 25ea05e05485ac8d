import Testing
@testable import Language

/// Garbled input must always end in a value or a diagnostic. The inputs are derived
/// deterministically from the script corpus — truncations, deleted, duplicated and
/// swapped characters, inserted brackets and quotes — so a failure can be replayed.
@Suite("Robustness")
struct RobustnessTests {
    /// SplitMix64: a tiny seeded generator, so the same inputs come out every time.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let insertions: [String] = [
        "(", ")", "[", "]", ":", "\n", " ", "    ", "\t", "\"", "'", "\"\"\"", "\\", "#", "=", "+", "**",
        "Δ", "字", ",", ".", "not ", "trace ", "expect ", "within ", "≈", "if x:\n", "-", "@", "0", "1e", "def f(",
    ]

    static func mutations(of text: String, seed: UInt64, count: Int) -> [String] {
        var generator = Generator(state: seed)
        let characters = Array(text)
        guard !characters.isEmpty else { return [] }
        var results: [String] = []
        for _ in 0..<count {
            var chars = characters
            let position = generator.below(chars.count)
            switch generator.below(5) {
            case 0: chars = Array(chars[..<position])
            case 1: chars.remove(at: position)
            case 2: chars.insert(chars[position], at: position)
            case 3 where position + 1 < chars.count: chars.swapAt(position, position + 1)
            default: chars.insert(contentsOf: Array(insertions[generator.below(insertions.count)]), at: position)
            }
            if generator.below(3) == 0 {
                let second = generator.below(chars.count)
                if second < chars.count { chars.remove(at: second) }
            }
            results.append(String(chars))
        }
        return results
    }

    /// Parses in both modes, runs what parses, and checks every diagnostic is sane.
    static func exercise(_ text: String, convertsLiterals: Bool) {
        let source = Source(name: "fuzz", text: text, firstLine: 7)
        let lastLine = 7 + source.lines.count
        for mode in [ParseMode.file, .interactive] {
            switch Parser.parse(source, mode: mode) {
            case .complete(let program):
                let host = TestHost(convertsLiterals: convertsLiterals)
                let interpreter = makeInterpreter(host, budget: 20_000)
                if let d = interpreter.run(program).diagnostic { check(d, lastLine) }
            case .failure(let diagnostics):
                #expect(diagnostics.count == 1)
                diagnostics.forEach { check($0, lastLine) }
            case .incomplete:
                #expect(mode == .interactive)
            }
        }
    }

    static func check(_ diagnostic: Diagnostic, _ lastLine: Int) {
        #expect(diagnostic.location.line >= 7 && diagnostic.location.line <= lastLine, Comment(rawValue: diagnostic.render()))
        #expect(diagnostic.location.column >= 1)
        #expect(!diagnostic.render().isEmpty)
    }

    @Test("garbled scripts (150 per corpus file) never crash", arguments: ScriptCorpus.paths)
    func garbled(_ path: String) {
        let text = ScriptCorpus.text(of: path)
        let convertsLiterals = text.contains("# host: vec")
        for mutated in Self.mutations(of: text, seed: UInt64(path.utf8.count * 7919), count: 150) {
            Self.exercise(mutated, convertsLiterals: convertsLiterals)
        }
    }

    @Test("every prefix of every script, typed line by line at a prompt", arguments: ScriptCorpus.paths)
    func prefixes(_ path: String) {
        let lines = Source.splitLines(ScriptCorpus.text(of: path))
        for end in 0...lines.count {
            Self.exercise(lines[..<end].joined(separator: "\n"), convertsLiterals: false)
        }
    }

    @Test("odd inputs", arguments: [
        "", "\n\n\n", "\t", "\\", "\"", "'''", "(", ")", "]", "#", "\u{0}", "\r\n\r\n", "x = 1\r\nprint(x)\r\n",
        "if x:\r\n    y", "é\u{301} = 1", "🙂 = 1", "x = \"🙂\"\nprint(x[0])", "\u{FEFF}x = 1", "x=1;;", ";", "a[::]",
        "print(1e999, -1e999, 0 * 1e999)", "print(10 ** 400, 2 ** 0.5)", "range(-1e30, 1e30, 1e29)",
        "x = [1,2,3]\nx[1:2:0]", "print(\"a\"[9e18])", "enumerate([1], start: 9e18)", "round(1, 300)",
        "def f(x=f): pass", "def f(*a): pass", "x = (yield)", "trace", "expect", "1 ≈", "a = b = c = ",
    ])
    func oddInputs(_ text: String) {
        Self.exercise(text, convertsLiterals: true)
    }
}
