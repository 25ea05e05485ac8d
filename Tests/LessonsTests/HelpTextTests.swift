@testable import Lessons
import Language
import Render
import Testing

/// `help(…)` prints a builtin's signature generated from its declared parameters, then
/// its text; a text that restated the signature would drift from the declaration.
@Suite struct HelpTextTests {
    /// Every builtin, and every method of every model the names script builds.
    static func everyBuiltin() throws -> [Builtin] {
        let (session, _) = try PictureNameTests.events()
        let globals = Builtins.all(files: session.files)
        let methods = session.environment.variables.flatMap { variable -> [Builtin] in
            guard case .host(let host) = variable.value, let model = host as? ModelValue else { return [] }
            return model.binding.methods
        }
        return globals + methods
    }

    @Test func noHelpRestatesItsSignature() throws {
        let builtins = try Self.everyBuiltin()
        #expect(builtins.count > 100)
        for builtin in builtins {
            #expect(!builtin.help.hasPrefix(builtin.name + "("), "\(builtin.name): \(builtin.help)")
            #expect(!builtin.help.isEmpty, "\(builtin.name) has no help")
        }
    }

    @Test func helpPrintsTheDeclaredSignatureThenTheText() throws {
        let (session, _) = try PictureNameTests.events()
        let text = try #require(session.help("FeedForward"))
        #expect(text.hasPrefix("FeedForward(dim, hidden=none, activation=\"gelu\", bias=true, seed=0)\n  each person thinks alone"))
        #expect(text.contains("hidden=none means 4·dim"))
    }
}
