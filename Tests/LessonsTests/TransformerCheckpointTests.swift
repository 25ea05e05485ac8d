import Foundation
@testable import Lessons
import Testing
import Trace

/// nn.MultiheadAttention and nanoGPT-style GPTs, loaded from the files PyTorch wrote
/// (scripts/make_fixtures.py), give PyTorch's updates, attention weights and logits to
/// 1e-5 — with biases or without, tied or untied, in nanoGPT's layout and in Hugging
/// Face's transposed one — and a file built for another configuration says what to build.
@Suite struct TransformerCheckpointTests {
    let helper = CheckpointBindingTests()

    @Test func multiheadAttentionGivesPyTorchsUpdateAndWeights() throws {
        for format in ["safetensors", "npz"] {
            try helper.passes("""
                m = MultiHeadAttention(4, heads: 2, bias: true)
                load(m, "mha.\(format)")
                x = read_tensor("mha-out.npz", name: "x")
                expect m.update(x) ≈ read_tensor("mha-out.npz", name: "update") within 1e-5   # nn.MultiheadAttention has no residual
                expect m.weights ≈ read_tensor("mha-out.npz", name: "A") within 1e-5
                expect m(x) ≈ x + read_tensor("mha-out.npz", name: "update") within 1e-5
                """)
            try helper.passes("""
                m = MultiHeadAttention(4, heads: 2)
                load(m, "mha_nobias.\(format)")
                x = read_tensor("mha_nobias-out.npz", name: "x")
                expect m.update(x) ≈ read_tensor("mha_nobias-out.npz", name: "update") within 1e-5
                expect m.weights ≈ read_tensor("mha_nobias-out.npz", name: "A") within 1e-5
                """)
            try helper.passes("""
                m = SelfAttention(4, bias: true)
                load(m, "mha_onehead.\(format)")
                x = read_tensor("mha_onehead-out.npz", name: "x")
                expect m.update(x) ≈ read_tensor("mha_onehead-out.npz", name: "update") within 1e-5
                expect m.weights ≈ read_tensor("mha_onehead-out.npz", name: "A")[0] within 1e-5
                """)
        }
    }

    /// The biased formula is what the traced step says, and its tensors add up: the
    /// heads' shares (the output bias in head 1's) sum to the update PyTorch computed.
    @Test func tracedHeadsCarryTheBiasesAndAddUpToPyTorchsUpdate() throws {
        let (s, _) = try helper.session("""
            m = MultiHeadAttention(4, heads: 2, bias: true)
            load(m, "mha.safetensors")
            x = read_tensor("mha-out.npz", name: "x")
            y = trace m(x)
            torch_update = read_tensor("mha-out.npz", name: "update")
            """)
        let result = s.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")")
        let heads = result.events.filter { $0.kind == .attention }
        #expect(heads.count == 2)
        #expect(heads.allSatisfy { $0.formula.contains("q_m = W_q h_m + b_q") && $0.formula.contains("W·Δ_m + b") })
        let expected = try #require(s.environment.resolve("torch_update")?.tensorValue?.tensor).scalars
        let sum = zip(try #require(heads[0]["update"]).data, try #require(heads[1]["update"]).data).map { $0 + $1 }
        for (a, b) in zip(sum, expected) { #expect(abs(a - b) <= 1e-5 * (1 + abs(b))) }
    }

    /// V = 7 characters a…g (ids 0…6, sorted as nanoGPT's prepare.py sorts them); the
    /// fixture's ids 3 0 6 2 2 5 are the text "dagccf".
    func gpt(_ file: String, _ options: String) -> String {
        """
        gpt = GPT("abcdefg", dim: 8, layers: 2, heads: 2, block_size: 6, \(options))
        load(gpt, "\(file).safetensors")
        out = "\(file)-out.npz"
        expect gpt.logits("dagccf") ≈ read_tensor(out, name: "logits") within 1e-5
        expect gpt.blocks[0].weights ≈ read_tensor(out, name: "A0") within 1e-5
        expect gpt.blocks[1].weights ≈ read_tensor(out, name: "A1") within 1e-5
        """
    }

    @Test func nanoGPTGivesPyTorchsLogitsAndAttention() throws {
        try helper.passes(gpt("gpt_bias", "activation: \"gelu_erf\", bias: true"))  // tied; lm_head.weight kept equal to wte
        try helper.passes(gpt("gpt_nobias", "activation: \"gelu_erf\", bias: false, tied: false"))
        try helper.passes(gpt("gpt_conv1d", "activation: \"gelu_erf\", bias: true"))  // Hugging Face's (in, out) weights
    }

    /// The traced forward pass steps through PyTorch's attention: every head of every
    /// layer shows the weights nanoGPT computed.
    @Test func tracedGPTStepsShowNanoGPTsAttention() throws {
        let (s, _) = try helper.session("""
            gpt = GPT("abcdefg", dim: 8, layers: 2, heads: 2, block_size: 6, activation: "gelu_erf", bias: true)
            load(gpt, "gpt_bias.safetensors")
            logits = trace gpt.logits("dagccf")
            A0 = read_tensor("gpt_bias-out.npz", name: "A0")
            A1 = read_tensor("gpt_bias-out.npz", name: "A1")
            """)
        let result = s.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")")
        let steps = result.events.filter { $0.kind == .attention }
        #expect(steps.count == 4)
        for event in steps {
            func number(_ key: String) -> Int? {
                if case .int(let n) = event.index.first(where: { $0.key == key })?.value { return n }
                return nil
            }
            let layer = try #require(number("layer")), head = try #require(number("head"))
            let torch = try #require(s.environment.resolve("A\(layer - 1)")?.tensorValue?.tensor).scalars
            let expected = torch[((head - 1) * 36)..<(head * 36)]
            for (a, b) in zip(try #require(event["A"]).data, expected) { #expect(abs(a - b) <= 1e-5 * (1 + abs(b))) }
        }
    }

    @Test func aGPTBuiltForAnotherConfigurationIsToldWhatToBuild() throws {
        let (s, _) = try helper.session("x = 1")
        func error(_ options: String, _ file: String) -> String {
            s.evaluate("g = GPT(\"abcdefg\", dim: 8, layers: 2, heads: 2, block_size: 6, \(options))\nload(g, \"\(file).safetensors\")").error ?? ""
        }
        let lecture = error("", "gpt_bias")
        #expect(lecture.contains("the file has biases everywhere (nanoGPT's bias=True); build the GPT with bias: true"))
        #expect(lecture.contains("unexpected: transformer.h.0.attn.c_attn.bias"))
        let none = error("bias: false", "gpt_bias")
        #expect(none.contains("build the GPT with bias: true"))
        let wantsBias = error("bias: true, tied: false", "gpt_nobias")
        #expect(wantsBias.contains("the file has no biases (nanoGPT's bias=False); build the GPT with bias: false"))
        #expect(wantsBias.contains("missing: transformer.h.0.ln_1.bias"))
        let untied = error("bias: false", "gpt_nobias")
        #expect(untied.contains("lm_head.weight differs from transformer.wte.weight, so the file's decoder is not tied; build the GPT with tied: false"))
        let layers = s.evaluate("g = GPT(\"abcdefg\", dim: 8, layers: 1, heads: 2, block_size: 6, bias: true)\nload(g, \"gpt_bias.safetensors\")").error ?? ""
        #expect(layers.contains("the file has 2 blocks (h.0 …), the GPT has 1; build it with layers: 2"))
        let block = s.evaluate("g = GPT(\"abcdefg\", dim: 8, layers: 2, heads: 2, block_size: 8, bias: true)\nload(g, \"gpt_bias.safetensors\")").error ?? ""
        #expect(block.contains("shape of transformer.wpe.weight is (6, 8), the model wants (8, 8)"))
        #expect(block.contains("the file has 6 positions (wpe.weight is (6, 8)); build the GPT with block_size: 6"))
        // Another width mis-shapes every weight: three are shown, and what to build.
        let width = s.evaluate("g = GPT(\"abcdefg\", dim: 4, layers: 2, heads: 2, block_size: 6, bias: true)\nload(g, \"gpt_bias.safetensors\")").error ?? ""
        #expect(width.contains("the file's vectors have d = 8 (wte.weight is (7, 8)); build the GPT with dim: 8"), "\(width)")
        #expect(width.contains("shape of transformer.wte.weight is (7, 8), the model wants (7, 4)"))
        #expect(width.components(separatedBy: "shape of ").count == 4, "only the first three mis-shaped weights: \(width)")
        #expect(width.contains(" more weights of other shapes; the file's vectors have d = 8"))
        #expect(width.contains("… (") && width.contains(" in all)"), "the hint lists the first few of the file's names")
        let vocabulary = s.evaluate("g = GPT(\"abcdef\", dim: 8, layers: 2, heads: 2, block_size: 6, bias: true)\nload(g, \"gpt_bias.safetensors\")").error ?? ""
        #expect(vocabulary.contains("shape of transformer.wte.weight is (7, 8), the model wants (6, 8)"))
        #expect(vocabulary.contains("the file's vocabulary has 7 tokens and this GPT's text gives 6; build it from the text it was trained on"))
        let mha = s.evaluate("m = MultiHeadAttention(4, heads: 2)\nload(m, \"mha.safetensors\")").error ?? ""
        #expect(mha.contains("the file's attention has biases (in_proj_bias, out_proj.bias); build it with bias: true"))
        #expect(mha.contains("unexpected: in_proj_bias, out_proj.bias"))
        let missing = s.evaluate("m2 = MultiHeadAttention(4, heads: 2, bias: true)\nload(m2, \"mha_nobias.safetensors\")").error ?? ""
        #expect(missing.contains("missing: in_proj_bias, out_proj.bias"))
    }

    /// A model saved under Huddle's names comes back whole, biases and all.
    @Test func aBiasedGPTRoundTrips() throws {
        try helper.passes("""
            a = GPT("abcdefg", dim: 8, layers: 2, heads: 2, block_size: 6, activation: "gelu_erf", bias: true, seed: 3)
            load(a, "gpt_bias.safetensors")
            save(a, "mine.safetensors")
            b = GPT("abcdefg", dim: 8, layers: 2, heads: 2, block_size: 6, activation: "gelu_erf", bias: true, seed: 4)
            load(b, "mine.safetensors")
            expect b.logits("dagccf") ≈ a.logits("dagccf") within 0
            expect b.blocks[1].attention.bq ≈ a.blocks[1].attention.bq within 0
            """)
    }
}
