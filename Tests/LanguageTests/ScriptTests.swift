import Testing
@testable import Language

@Suite("Script corpus")
struct ScriptTests {
    @Test("script", arguments: ScriptCorpus.paths)
    func script(_ path: String) {
        let problems = Script(ScriptCorpus.text(of: path)).run(name: path)
        #expect(problems.isEmpty, Comment(rawValue: "\(path):\n" + problems.joined(separator: "\n")))
    }

    @Test("the corpus holds at least 100 expectations")
    func corpusSize() {
        let total = ScriptCorpus.paths.reduce(0) { $0 + Script(ScriptCorpus.text(of: $1)).expectationCount }
        #expect(total >= 100, Comment(rawValue: "only \(total) expectations"))
    }
}
