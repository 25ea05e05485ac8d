import Foundation
@testable import Language
@testable import Lessons
import Testing
import Trace

/// The reference is generated from the declarations; these fail when the checked-in
/// pages are stale, when something a lesson can use has no words, or when `:help` and
/// `help()` cannot reach a topic an instructor looks for.
@Suite struct ReferenceTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs").standardized.path

    @Test func theCheckedInPagesAreWhatTheCodeDeclares() {
        let stale = ReferenceBook.stale(in: Self.docs)
        #expect(stale.isEmpty, "stale: \(stale) — run `huddle reference --write docs` and commit the pages")
    }

    @Test func everyBuiltinIsOnTheBuiltinsPageUnderItsSignature() throws {
        let page = try #require(ReferenceBook.pages().first { $0.file == "builtins.md" }).text
        let all = LanguageReference.coreBuiltins + Builtins.all(files: LessonFiles(root: "."))
        #expect(all.count > 120)
        for builtin in all {
            #expect(page.contains("### `\(builtin.signature)`"), "\(builtin.name) is not in builtins.md")
            #expect(!builtin.help.isEmpty, "\(builtin.name) has no help")
        }
    }

    /// Every builtin that makes a model (a capitalised name) has an example that builds,
    /// so the reference lists what it returns, and every member read off it has words.
    @Test func everyModelBuiltinSaysWhatItReturnsAndEveryMemberHasHelp() {
        let makers = ModelBindings.builtins.filter { $0.name.first?.isUppercase == true }
        #expect(makers.count >= 20)
        for maker in makers {
            guard let value = ReferenceExamples.value(for: maker.name) else {
                Issue.record("\(maker.name) has no working example in ReferenceExamples.calls")
                continue
            }
            for member in ValueReference.members(of: value) {
                #expect(!member.help.isEmpty, "\(maker.name)\(member.display) has no help")
            }
        }
    }

    @Test func theReturnedMembersAreTheRealOnes() throws {
        let gpt = try #require(ReferenceExamples.value(for: "GPT"))
        let names = Set(ValueReference.members(of: gpt).map(\.name))
        // What lesson 14 uses, read off the model rather than restated.
        for name in ["generate", "loss", "train", "blocks", "vocabulary", "W_encode"] {
            #expect(names.contains(name), "GPT members: \(names.sorted())")
        }
        let text = try #require(ReferenceBook.returnsText("SelfAttention"))
        #expect(text.contains(".Wq (4, 4)"))
        #expect(text.contains(".weights") && text.contains(".update(h)"))
    }

    @Test func everyKindOfStepIsOnTheEventsPageWithEveryTensorName() throws {
        let page = try #require(ReferenceBook.pages().first { $0.file == "events.md" }).text
        for kind in EventKind.allCases {
            #expect(page.contains("## \(kind.rawValue)\n"))
            for tensor in kind.schema.tensors { #expect(page.contains("`\(tensor.key)`"), "\(kind): \(tensor.key)") }
        }
    }

    @Test func helpFindsTheTopicsAnInstructorLooksFor() throws {
        let s = try session("x = 1")
        for name in ["expect", "trace", "def", "language", "output", "settings", "~=", "within", "for"] {
            #expect(s.help(name) != nil, "no help for \(name)")
        }
        #expect(s.help("expect")?.contains("within") == true)
        #expect(s.help("language")?.contains("operators") == true)
        // A builtin wins over a topic alias of the same name.
        #expect(s.help("range")?.hasPrefix("range(") == true)
        // In code: help("expect"), and help(GPT) goes on with what it returns.
        #expect(s.evaluate("help(\"expect\")").printed.contains("records a check"))
        #expect(s.evaluate("help(GPT)").printed.contains("returns GPT; its members"))
    }

    @Test func helpOfAKeywordSaysHowToAskForIt() throws {
        let s = try session("x = 1")
        let error = try #require(s.evaluate("help(expect)").error)
        #expect(error.contains("'expect' starts a statement; it is not a value"))
        #expect(error.contains("help(\"expect\") or :help expect"))
    }

    @Test func aListComprehensionSaysHowToWriteItInstead() throws {
        let s = try session("x = 1")
        let error = try #require(s.evaluate("ys = [x * 2 for x in [1, 2]]").error)
        #expect(error.contains("list comprehensions"))
        #expect(error.contains("ys += [f(x)]"))
    }

    @Test func aTraceThatRecordsNothingSaysSo() throws {
        let s = try session("x = 1")
        let own = s.evaluate("def double(v):\n    return v * 2\ny = trace double(3)")
        #expect(own.events.isEmpty)
        #expect(own.printed.contains("`trace double(3)` recorded no steps"))
        let model = s.evaluate("m = MLP([2, 2]); z = trace m([[1, 0]])")
        #expect(!model.events.isEmpty)
        #expect(!model.printed.contains("recorded no steps"))
    }
}
