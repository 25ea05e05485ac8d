@testable import Lessons
import Render
import Testing
import Trace

/// The typed event schema, seen from the prompt: at a picture of every kind, every
/// name the schema gives a tensor — its key, the symbol the picture draws when that is a
/// name, its ASCII spellings — is a name the student can type, and it holds that tensor.
@Suite struct PictureNameTests {
    /// One script that makes at least one event of every kind, with real models.
    static let script = """
        x = tensor([[0, 1], [1, 0]], labels: ["p", "q"])
        mlp = MLP([2, 3, 1], seed: 0)
        y = trace mlp(x)
        conv = Conv1D(1, 1, kernel: 3, padding: 1, activation: "identity")
        edges = trace conv([[[1, 2, 3, 4]]])
        stack = ResidualStack(dim: 2, steps: 2, epsilon: 0.1, seed: 0)
        r = trace stack(x)
        rnn = RNN(2, 3, seed: 3)
        hr = trace rnn(x)
        lstm = LSTM(2, 2, seed: 0)
        hl, cl = trace lstm.run(x)
        vocab = Vocabulary("I love machine learning")
        emb = Embedding(vocab, dim: 4, seed: 18)
        dec = Decoder(emb)
        hw = trace emb(["I", "love", "machine"])
        pw = trace dec(hw)
        pe = PositionEmbedding(dim: 4)
        hp = trace pe(hw)
        block = TransformerBlock(dim: 4, heads: 2, hidden: 8, seed: 12)
        hb = trace block(hp)
        gpt = GPT("I love machine learning. I love it.", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)
        l = trace gpt.loss("I love")
        t = trace gpt.train(steps: 2, batch_size: 2, lr: 0.01, seed: 1)
        mix = eight_gaussians()
        cloud = trace sample(exact_score(mix), n: 20, steps: 3, seed: 5)
        """

    static func events() throws -> (LessonSession, [TraceEvent]) {
        let session = try LessonSession(document: LessonDocument(path: "names.hud", script: script), options: RenderOptions(width: 120))
        let result = session.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")")
        return (session, result.events)
    }

    @Test func theScriptMakesEveryKindAndOnlyDeclaredNames() throws {
        let (_, events) = try Self.events()
        #expect(Set(events.map(\.kind)) == Set(EventKind.allCases))
        for event in events {
            #expect(event.undeclaredNames.isEmpty, "\(event.kind): \(event.undeclaredNames)")
        }
    }

    @Test func everyNameOfEveryTensorIsTypableAtItsPicture() throws {
        let (session, events) = try Self.events()
        var firstOfKind: [EventKind: TraceEvent] = [:]
        for event in events where firstOfKind[event.kind] == nil { firstOfKind[event.kind] = event }
        for (kind, event) in firstOfKind {
            let picture = EventPicture(event).block(RenderOptions(width: 120)).rendered(RenderOptions(width: 120))
            for (schema, snapshot) in event.declaredTensors {
                // A builtin keeps its name at a picture (`one_hot` is still the function);
                // every other name holds the tensor.
                for name in schema.names where session.environment.builtin(named: name) == nil {
                    let value = try? session.value(of: name, at: event).get()
                    let tensor = value?.tensorValue?.tensor
                    #expect(tensor?.shape == snapshot.shape && tensor?.scalars == snapshot.data,
                            "\(kind): `\(name)` (\(schema.symbol)) at the picture is \(value?.repr ?? "not defined")")
                }
                #expect(schema.names.contains { session.environment.builtin(named: $0) == nil }, "\(kind): \(schema.key) has no name to type")
                // Drawn names are typed names: a symbol the picture shows that is itself a
                // name must be among the names that can be typed.
                if picture.contains(schema.symbol), let typed = TensorSchema.identifier(schema.symbol) {
                    #expect(schema.names.contains(typed), "\(kind): \(schema.symbol) is drawn but \(typed) is not a name")
                }
            }
        }
    }

    /// The names an LSTM picture draws, as a student types them.
    @Test func anLSTMPicturesNamesAreTheLecturesNames() throws {
        let (session, events) = try Self.events()
        let lstm = try #require(events.first { $0.kind == .lstm })
        let checks = session.evaluate("""
            expect c_t ≈ c_prev + Δc_t
            expect dc_t ≈ delta_c
            expect Δc ≈ (f - 1) * c_tm1 + i * g
            expect h_t ≈ o * tanh(c_t)
            expect x_t ≈ x
            """, at: lstm)
        #expect(checks.error == nil, "\(checks.error ?? "")")
        #expect(checks.checks.count == 5 && checks.checks.allSatisfy(\.passed))
        let picture = EventPicture(lstm).block(RenderOptions(width: 120)).rendered(RenderOptions(width: 120))
        for drawn in ["c_{t−1}", "Δc_t", "c_t", "h_t"] { #expect(picture.contains(drawn)) }
    }

    /// The transformer's embedding step draws its own picture (its vectors are `h`, as the
    /// word embedding's are), not the fallback of every tensor by shape.
    @Test func everyEmbedStepDrawsTheEmbedPicture() throws {
        let (_, events) = try Self.events()
        let embeds = events.filter { $0.kind == .embed }
        #expect(embeds.count >= 2)
        for event in embeds {
            let text = EventPicture(event).block(RenderOptions(width: 120)).rendered(RenderOptions(width: 120))
            #expect(text.contains("one-hot: the 1 is at index") && text.contains("dense vectors h_w"), "\(text)")
        }
    }

    /// `:next` finds a round from the schema: the layer of a transformer's steps, the time
    /// step of an LSTM, the step of a diffusion run; none for a loss.
    @Test func roundsComeFromTheSchema() throws {
        let (_, events) = try Self.events()
        #expect(events.first { $0.kind == .lstm }?.round?.key == "t")
        #expect(events.first { $0.kind == .attention }?.round?.key == "layer")
        #expect(events.first { $0.kind == .diffusion }?.round?.key == "step")
        #expect(events.first { $0.kind == .train }?.round?.key == "step")
        #expect(events.first { $0.kind == .loss }?.round == nil)
    }
}

/// A long check breaks at a space, never inside a word (at 70 columns one read "≈ 3 * lo" / "g(5)").
@Suite struct CheckLineTests {
    @Test func aLongCheckBreaksBetweenWords() throws {
        let script = "logits_of_the_model = zeros([3, 5])\nexpect sum(logits_of_the_model, axis: 1) + sum(logits_of_the_model, axis: 1) ≈ 3 * log(5) - 3 * log(5) + zeros(3)"
        let session = try LessonSession(document: LessonDocument(path: "c.hud", script: script), options: RenderOptions(width: 70))
        let result = session.run(cell: 0)
        let text = Transcript(options: RenderOptions(width: 70)).body(of: result)
        let lines = text.split(separator: "\n").filter { $0.contains("expect") || $0.hasPrefix("    ") }
        #expect(lines.allSatisfy { displayWidth(String($0)) <= 70 }, "\(lines)")
        #expect(text.contains("3 * log(5)"), "\(text)")
    }
}
