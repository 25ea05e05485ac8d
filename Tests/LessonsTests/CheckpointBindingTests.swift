import Foundation
@testable import Lessons
import Render
import Testing

/// PyTorch's modules, loaded into Huddle's models from the files PyTorch wrote
/// (`Fixtures/pytorch`, made by scripts/make_fixtures.py), give PyTorch's numbers — the
/// outputs and the traced cell states — to 1e-5; save and load round-trip; and the
/// files stay inside the lesson's folder.
@Suite struct CheckpointBindingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pytorch").path

    /// A lesson folder holding every fixture, and a session on a script in it.
    func session(_ code: String) throws -> (LessonSession, String) {
        let path = try temporaryLesson("# Load\n\n```huddle\n" + code + "\n```\n")
        let folder = (path as NSString).deletingLastPathComponent
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.fixtures) {
            try FileManager.default.copyItem(atPath: Self.fixtures + "/" + name, toPath: folder + "/" + name)
        }
        return (try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80)), folder)
    }

    func passes(_ code: String, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (s, _) = try session(code)
        let result = s.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")", sourceLocation: sourceLocation)
        #expect(!result.checks.isEmpty && result.failedChecks.isEmpty, "\(result.failedChecks.map(\.message))", sourceLocation: sourceLocation)
    }

    @Test func everyMappedModuleGivesPyTorchsNumbers() throws {
        for format in ["safetensors", "npz"] {
            try passes("""
                m = Linear(3, 4)
                load(m, "linear.\(format)")
                x = read_tensor("linear-out.npz", name: "x")
                expect m(x) ≈ read_tensor("linear-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                m = MLP([3, 8, 2], activation: "tanh")
                load(m, "mlp.\(format)")
                expect m(read_tensor("mlp-out.npz", name: "x")) ≈ read_tensor("mlp-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                m = MLP([3, 8, 2], activation: "tanh")
                load(m, "mlp_prefixed.\(format)")                  # net.0.weight, net.2.weight, …
                expect m(read_tensor("mlp_prefixed-out.npz", name: "x")) ≈ read_tensor("mlp_prefixed-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                m = RNN(3, 4)
                load(m, "rnn.\(format)")
                h = trace m(read_tensor("rnn-out.npz", name: "x"))
                expect h ≈ read_tensor("rnn-out.npz", name: "h") within 1e-5
                """)
            try passes("""
                m = LSTM(3, 4)
                load(m, "lstm.\(format)")
                h, c = trace m.run(read_tensor("lstm-out.npz", name: "x"))
                expect h ≈ read_tensor("lstm-out.npz", name: "h") within 1e-5
                expect c ≈ read_tensor("lstm-out.npz", name: "c") within 1e-5     # every c_t = c_{t−1} + Δc_t
                """)
            try passes("""
                m = LayerNorm(4)
                load(m, "layernorm.\(format)")
                expect m(read_tensor("layernorm-out.npz", name: "x")) ≈ read_tensor("layernorm-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                m = Conv1D(2, 3, kernel: 3, padding: 1, activation: "identity")
                load(m, "conv1d.\(format)")
                expect m(read_tensor("conv1d-out.npz", name: "x")) ≈ read_tensor("conv1d-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                m = Conv2D(1, 2, kernel: 3, padding: 1, activation: "identity")
                load(m, "conv2d.\(format)")
                expect m(read_tensor("conv2d-out.npz", name: "x")) ≈ read_tensor("conv2d-out.npz", name: "y") within 1e-5
                """)
            try passes("""
                vocab = Vocabulary("a b c d e")
                m = Embedding(vocab, dim: 4)
                load(m, "embedding.\(format)")
                expect m([vocab.word(0), vocab.word(3)]) ≈ read_tensor("embedding-out.npz", name: "weight")[[0, 3]] within 1e-5
                """)
        }
    }

    @Test func theTracedStepsCarryPyTorchsCells() throws {
        let (s, _) = try session("""
            m = LSTM(3, 4)
            load(m, "lstm.safetensors")
            h, c = trace m.run(read_tensor("lstm-out.npz", name: "x"))
            torch_c = read_tensor("lstm-out.npz", name: "c")
            """)
        let result = s.run(cell: 0)
        #expect(result.error == nil)
        let steps = result.events.filter { $0.kind == .lstm }
        #expect(steps.count == 5)
        let expected = try #require(s.environment.resolve("torch_c")?.tensorValue?.tensor)
        for (t, event) in steps.enumerated() {
            let c = try #require(event["c"]).data
            for (a, b) in zip(c, expected.scalars[(t * 4)..<(t * 4 + 4)]) { #expect(abs(a - b) <= 1e-5 * (1 + abs(b))) }
        }
    }

    @Test func saveAndLoadRoundTripUnderHuddlesNames() throws {
        for format in ["safetensors", "npz"] {
            try passes("""
                a = MLP([2, 3, 1], seed: 1)
                save(a, "trained.\(format)")
                b = MLP([2, 3, 1], seed: 2)
                expect not (b.W1 ≈ a.W1)
                load(b, "trained.\(format)")
                expect b.W1 ≈ a.W1 within 0
                expect b([[1, 0]]) ≈ a([[1, 0]]) within 0
                save_tensor(a.W2, "w2.npy")
                expect read_tensor("w2.npy") ≈ a.W2 within 0
                """)
        }
    }

    @Test func whatDoesNotFitIsListedInOneError() throws {
        let (s, _) = try session("x = 1")
        let wrongSize = s.evaluate("m = LSTM(3, 2)\nload(m, \"lstm.safetensors\")").error ?? ""
        #expect(wrongSize.contains("'lstm.safetensors' does not fit this LSTM, neither by Huddle's names nor as a PyTorch state_dict"))
        #expect(wrongSize.contains("shape of weight_ih_l0 is (16, 3), the model wants (8, 3)"))
        #expect(wrongSize.contains("shape of weight_hh_l0 is (16, 4), the model wants (8, 2)"))
        let wrongModule = s.evaluate("r = RNN(3, 4)\nload(r, \"lstm.safetensors\")").error ?? ""
        #expect(wrongModule.contains("shape of weight_ih_l0 is (16, 3), the model wants (4, 3)"))
        let layers = s.evaluate("n = MLP([3, 2])\nload(n, \"mlp.safetensors\")").error ?? ""
        #expect(layers.contains("the file has 2 Linear layers (0.weight, 2.weight), the MLP has 1"))
        let noForget = s.evaluate("k = LSTM(3, 4, forget_gate: false)\nload(k, \"lstm.safetensors\")").error ?? ""
        #expect(noForget.contains("PyTorch's nn.LSTM always has one"))
        let own = s.evaluate("a = MLP([2, 3, 1])\nsave(a, \"a.safetensors\")\nb = MLP([2, 4, 1])\nload(b, \"a.safetensors\")").error ?? ""
        #expect(own.contains("shape of W1 is (3, 2), the model wants (4, 2)"))
        #expect(s.evaluate("read_tensor(\"mlp.npz\")").error?.contains("holds 4 arrays; say which") == true)
        #expect(s.evaluate("read_tensor(\"mlp.npz\", name: \"0.weigth\")").error?.contains("did you mean '0.weight'") == true)
        #expect(s.evaluate("save(a, \"a.pt\")").error?.contains("Huddle reads and writes .safetensors, .npz and .npy files") == true)
    }

    @Test func filesStayInTheLessonsFolder() throws {
        let (s, folder) = try session("x = 1")
        #expect(s.evaluate("a = MLP([2, 1])\nsave(a, \"../outside.safetensors\")").error?.contains("outside the lesson's folder") == true)
        #expect(s.evaluate("save(a, \"/tmp/outside.safetensors\")").error?.contains("outside the lesson's folder") == true)
        // A hard link to a file elsewhere has the same bytes and a second name: refused.
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-secret-\(UUID().uuidString).npy").path
        try FileManager.default.copyItem(atPath: Self.fixtures + "/../../../CheckpointTests/Fixtures/c_order_f4.npy", toPath: elsewhere)
        #expect(link(elsewhere, folder + "/linked.npy") == 0)
        #expect(s.evaluate("read_tensor(\"linked.npy\")").error?.contains("has 2 names (a hard link)") == true)
        #expect(s.evaluate("save_tensor([1], \"linked.npy\")").error?.contains("has 2 names (a hard link)") == true)
        // A symbolic link out is refused for reading and for writing.
        #expect(symlink(elsewhere, folder + "/soft.npy") == 0)
        #expect(s.evaluate("read_tensor(\"soft.npy\")").error?.contains("leads out of the lesson's folder") == true)
        #expect(s.evaluate("save_tensor([1], \"soft.npy\")").error?.contains("is a link or a folder") == true)
        let before = try Data(contentsOf: URL(fileURLWithPath: elsewhere))
        #expect(try Data(contentsOf: URL(fileURLWithPath: elsewhere)) == before)
    }
}
