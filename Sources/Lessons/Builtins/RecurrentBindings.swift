import Language
import Models
import Tensor

/// RNN and LSTM: a message from the past at each time step.
enum RecurrentBindings: BindingFamily {
    static var builtins: [Builtin] {
        [
            Kit.builtin("RNN", [Kit.p("inputs"), Kit.p("hidden"), Kit.p("seed", 0)],
                        "h_t = tanh(W h_{t−1} + U x_t + b) over a sequence x (T, inputs)") { args in
                let (i, h) = (try args.integer("inputs"), try args.integer("hidden"))
                let seed = try args.seed()
                return try ModelBindings.make { try RNN(inputSize: i, hiddenSize: h, seed: seed) }
            },
            Kit.builtin("LSTM", [Kit.p("inputs"), Kit.p("hidden"), Kit.p("forget_gate", true), Kit.p("seed", 0)],
                        "c_t = c_{t−1} + Δc_t over a sequence x (T, inputs)") { args in
                let (i, h) = (try args.integer("inputs"), try args.integer("hidden"))
                let forget = try args.bool("forget_gate")
                let seed = try args.seed()
                return try ModelBindings.make { try LSTM(inputSize: i, hiddenSize: h, forgetGate: forget, seed: seed) }
            },
        ]
    }

    static func optionalTensor(_ value: Value, _ what: String) throws -> Tensor? {
        value.isNone ? nil : try Conversions.tensor(value, what: what)
    }

    static func rnn(_ m: RNN) -> ModelBinding {
        ModelBinding(typeName: "RNN", callParameters: [Kit.p("x"), Kit.p("h0", .none)]) { args in
            let x = try ModelBindings.input(args)
            return Kit.tensor(try m(x.tensor, h0: optionalTensor(args["h0"], "h0"), labels: x.labels), labels: x.labels)
        }
    }

    static func lstm(_ m: LSTM) -> ModelBinding {
        var binding = ModelBinding(typeName: "LSTM", callParameters: [Kit.p("x"), Kit.p("h0", .none), Kit.p("c0", .none)]) { args in
            let x = try ModelBindings.input(args)
            let h = try m(x.tensor, h0: optionalTensor(args["h0"], "h0"), c0: optionalTensor(args["c0"], "c0"), labels: x.labels)
            return Kit.tensor(h, labels: x.labels)
        }
        binding.methods = [
            Kit.builtin("run", [Kit.p("x"), Kit.p("h0", .none), Kit.p("c0", .none)],
                        "[h, c] — the hidden states and the cell's running totals at every step") { args in
                let x = try ModelBindings.input(args)
                let state = try m.run(x.tensor, h0: optionalTensor(args["h0"], "h0"), c0: optionalTensor(args["c0"], "c0"), labels: x.labels)
                return .list([Kit.tensor(state.h, labels: x.labels), Kit.tensor(state.c, labels: x.labels)])
            },
        ]
        return binding
    }
}

// The bindings of this family's models (see LanguageBound).
extension RNN: LanguageBound { var languageBinding: ModelBinding { RecurrentBindings.rnn(self) } }
extension LSTM: LanguageBound { var languageBinding: ModelBinding { RecurrentBindings.lstm(self) } }
