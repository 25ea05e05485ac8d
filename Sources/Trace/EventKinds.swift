/// Every kind of event, declared once: the kind itself, its tensors (key, the lecture's
/// symbol, meaning, shape, role, palette, typed aliases) and its index numbers.
/// `EventKind.schema` maps a kind to its declaration; the switch is exhaustive, so a new
/// kind cannot be left out.
///
/// Shapes use B for a batch, T for tokens, d for a vector's width, n for inputs, V for
/// the vocabulary, N for points. A single sequence drops its B.

/// What kind of message-passing step an event shows. The raw values are the `kind`
/// strings of the JSON Lines export and the names a student types after `:break`.
public enum EventKind: String, CaseIterable, Sendable {
    /// MLP layer h⁽ˡ⁾ = σ(W h⁽ˡ⁻¹⁾ + b): every unit hears every unit below.
    case layer
    /// Convolution: each position hears its window, with the same weights everywhere.
    case conv
    /// Residual update h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f(h⁽ᵗ⁻¹⁾).
    case residual
    /// Recurrent step h_t = tanh(W h_{t−1} + U x_t + b).
    case recurrent
    /// LSTM step c_t = c_{t−1} + Δc_t.
    case lstm
    /// Word → vector: one-hot times W_encode.
    case embed
    /// Vector → word: softmax over the vocabulary.
    case decode
    /// Position embedding h_m ← h_m + P_m.
    case position
    /// Self-attention, one head of one layer: A_{m→t}, Δ_m, h_m ← h_m + W·Δ_m.
    case attention
    /// Transformer part 2: h_m ← h_m + MLP(h_m), each person thinks alone.
    case feedforward
    /// Sequence loss −log p(y|x) = −Σ_t log p(y_t | y_<t, x).
    case loss
    /// Reverse diffusion step x ← x + σ²Δt ∇log p(x) + σ√Δt z.
    case diffusion
    /// Optimiser step θ ← θ − η∇θL.
    case train
}

extension EventKind {
    /// The declaration of this kind of event.
    public var schema: any EventSchema.Type {
        switch self {
        case .layer: LayerStep.self
        case .conv: ConvStep.self
        case .residual: ResidualStep.self
        case .recurrent: RecurrentStep.self
        case .lstm: LSTMStep.self
        case .embed: EmbedStep.self
        case .decode: DecodeStep.self
        case .position: PositionStep.self
        case .attention: AttentionStep.self
        case .feedforward: FeedForwardStep.self
        case .loss: LossStep.self
        case .diffusion: DiffusionStep.self
        case .train: TrainStep.self
        }
    }
}

/// Index entries several kinds share.
enum SharedIndex {
    static let layerMeaning = "which layer (from 1)"
    static let sequenceMeaning = "which sequence of the batch (from 1)"
}

/// An MLP layer: h⁽ˡ⁾ = σ(W h⁽ˡ⁻¹⁾ + b).
public enum LayerStep: EventSchema {
    public static let kind = EventKind.layer
    public static let summary = "An MLP layer: h⁽ˡ⁾ = σ(W h⁽ˡ⁻¹⁾ + b)."
    public static let hIn = TensorKey<Self>("h_in", symbol: "h⁽ˡ⁻¹⁾", "the layer's input, the vectors below", shape: "(B, n)")
    public static let W = TensorKey<Self>("W", symbol: "W⁽ˡ⁾", "the weights: row j is how unit j listens", shape: "(m, n)", role: .weight)
    public static let b = TensorKey<Self>("b", symbol: "b⁽ˡ⁾", "the biases", shape: "(m,)", role: .weight)
    public static let pre = TensorKey<Self>("pre", symbol: "W h + b", "the sums before σ", shape: "(B, m)")
    public static let hOut = TensorKey<Self>("h_out", symbol: "h⁽ˡ⁾", "the layer's output σ(W h + b)", shape: "(B, m)")
    public static let layer = IndexKey<Self>("layer", SharedIndex.layerMeaning, isRound: true)
    public static let activation = IndexKey<Self>("activation", "σ: tanh, relu, sigmoid or identity", isPictureName: false)
    public static let tensors = [hIn, W, b, pre, hOut].map(\.schema)
    public static let index = [layer, activation].map(\.schema)
    public static var focusRows: TensorSchema? { hOut.schema }
    public static var result: TensorSchema? { hOut.schema }
}

/// A convolution, seen from one output position: h'_p = σ(Σ_δ W_δ h_{p+δ} + b).
public enum ConvStep: EventSchema {
    public static let kind = EventKind.conv
    public static let summary = "A convolution, seen from one output position: h'_p = σ(Σ_δ W_δ h_{p+δ} + b)."
    public static let input = TensorKey<Self>("input", symbol: "input", "the signals or images, a row per item", shape: "(N, C, L) or (N, C, H, W)")
    public static let window = TensorKey<Self>("window", symbol: "window", "the part of the input the focus position hears", shape: "(N, C, k) or (N, C, kh, kw)")
    public static let W = TensorKey<Self>("W", symbol: "kernel W", "the kernel, the same at every position", shape: "(O, C, k) or (O, C, kh, kw)", role: .weight)
    public static let b = TensorKey<Self>("b", symbol: "b", "the biases, one per output channel", shape: "(O,)", role: .weight)
    public static let pre = TensorKey<Self>("pre", symbol: "pre", "the sums before σ", shape: "(N, O, L′) or (N, O, H′, W′)")
    public static let output = TensorKey<Self>("output", symbol: "output", "σ of the sums", shape: "(N, O, L′) or (N, O, H′, W′)")
    public static let layer = IndexKey<Self>("layer", SharedIndex.layerMeaning, isRound: true)
    public static let stride = IndexKey<Self>("stride", "how far the window moves")
    public static let padding = IndexKey<Self>("padding", "zeros added at each edge")
    public static let activation = IndexKey<Self>("activation", "σ", isPictureName: false)
    public static let p = IndexKey<Self>("p", "the output position shown (1-D)")
    public static let windowStart = IndexKey<Self>("window_start", "where the window starts in the input")
    public static let i = IndexKey<Self>("i", "the output row shown (2-D)")
    public static let j = IndexKey<Self>("j", "the output column shown (2-D)")
    public static let windowTop = IndexKey<Self>("window_top", "the window's first input row")
    public static let windowLeft = IndexKey<Self>("window_left", "the window's first input column")
    public static let tensors = [input, window, W, b, pre, output].map(\.schema)
    public static let index = [layer, stride, padding, activation, p, windowStart, i, j, windowTop, windowLeft].map(\.schema)
    public static var focusRows: TensorSchema? { input.schema }
    public static var result: TensorSchema? { output.schema }
}

/// A residual step: h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f(h⁽ᵗ⁻¹⁾).
public enum ResidualStep: EventSchema {
    public static let kind = EventKind.residual
    public static let summary = "A residual step: h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f(h⁽ᵗ⁻¹⁾)."
    public static let hBefore = TensorKey<Self>("h_before", symbol: "h before", "h⁽ᵗ⁻¹⁾, the vectors before the step", shape: "(B, d)")
    public static let f = TensorKey<Self>("f", symbol: "f(h)", "the message added (ε·f(h) when scaled)", shape: "(B, d)", aliases: ["f_h"], patchable: true)
    public static let hAfter = TensorKey<Self>("h_after", symbol: "h after", "h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f(h⁽ᵗ⁻¹⁾)", shape: "(B, d)")
    public static let t = IndexKey<Self>("t", "which step of the stack (from 1)", isRound: true)
    public static let epsilon = IndexKey<Self>("epsilon", "the scale ε of each update")
    public static let tensors = [hBefore, f, hAfter].map(\.schema)
    public static let index = [t, epsilon].map(\.schema)
    public static var focusRows: TensorSchema? { hBefore.schema }
    public static var result: TensorSchema? { hAfter.schema }
}

/// A recurrent step: h_t = tanh(W h_{t−1} + U x_t + b).
public enum RecurrentStep: EventSchema {
    public static let kind = EventKind.recurrent
    public static let summary = "A recurrent step: h_t = tanh(W h_{t−1} + U x_t + b)."
    public static let hPrev = TensorKey<Self>("h_prev", symbol: "h_{t−1}", "the state before this time step", shape: "(B, d) or (d,)")
    public static let x = TensorKey<Self>("x", symbol: "x_t", "the input at this time step", shape: "(B, n) or (n,)")
    public static let W = TensorKey<Self>("W", symbol: "W", "how the state hears its past", shape: "(d, d)", role: .weight)
    public static let U = TensorKey<Self>("U", symbol: "U", "how the state hears the input", shape: "(d, n)", role: .weight)
    public static let b = TensorKey<Self>("b", symbol: "b", "the biases", shape: "(d,)", role: .weight)
    public static let h = TensorKey<Self>("h", symbol: "h_t", "the new state", shape: "(B, d) or (d,)")
    public static let t = IndexKey<Self>("t", "the time step (from 1)", isRound: true)
    public static let tensors = [hPrev, x, W, U, b, h].map(\.schema)
    public static let index = [t].map(\.schema)
    public static var result: TensorSchema? { h.schema }
}

/// An LSTM step: c_t = c_{t−1} + Δc_t, Δc_t = (f − 1)⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t).
public enum LSTMStep: EventSchema {
    public static let kind = EventKind.lstm
    public static let summary = "An LSTM step: c_t = c_{t−1} + Δc_t, Δc_t = (f − 1)⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t)."
    public static let x = TensorKey<Self>("x", symbol: "x_t", "the input at this time step", shape: "(B, n) or (n,)")
    public static let hPrev = TensorKey<Self>("h_prev", symbol: "h_{t−1}", "the output before this step", shape: "(B, d) or (d,)", aliases: ["h_tm1"])
    public static let cPrev = TensorKey<Self>("c_prev", symbol: "c_{t−1}", "the cell's running total before this step", shape: "(B, d) or (d,)", aliases: ["c_tm1"])
    public static let f = TensorKey<Self>("f", symbol: "f", "the forget gate: the share of c_{t−1} kept", shape: "(B, d) or (d,)", palette: .probability, patchable: true,
                                          unusedWhen: .init("forget_gate", is: .bool(false), "the 1997 LSTM has no forget gate, so its f (all ones) is not used"))
    public static let i = TensorKey<Self>("i", symbol: "i", "the input gate: how much of g is written", shape: "(B, d) or (d,)", palette: .probability, patchable: true)
    public static let g = TensorKey<Self>("g", symbol: "g", "the candidate, in (−1, 1)", shape: "(B, d) or (d,)", patchable: true)
    public static let o = TensorKey<Self>("o", symbol: "o", "the output gate: how much of tanh(c_t) shows", shape: "(B, d) or (d,)", palette: .probability, patchable: true)
    public static let deltaC = TensorKey<Self>("delta_c", symbol: "Δc_t", "the change of the cell, (f − 1)⊙c_{t−1} + i⊙g", shape: "(B, d) or (d,)", aliases: ["Δc", "dc_t", "dc"], patchable: true)
    public static let c = TensorKey<Self>("c", symbol: "c_t", "the cell after this step, c_{t−1} + Δc_t", shape: "(B, d) or (d,)", patchable: true)
    public static let h = TensorKey<Self>("h", symbol: "h_t", "the output o⊙tanh(c_t)", shape: "(B, d) or (d,)", patchable: true)
    public static let t = IndexKey<Self>("t", "the time step (from 1)", isRound: true)
    public static let forgetGate = IndexKey<Self>("forget_gate", "whether the cell has a forget gate (the 1997 LSTM has none)", isPictureName: false,
                                                        whenTrue: "with a forget gate")
    public static let tensors = [x, hPrev, cPrev, f, i, g, o, deltaC, c, h].map(\.schema)
    public static let index = [t, forgetGate].map(\.schema)
    public static var result: TensorSchema? { h.schema }
}

/// Words to vectors: h_w = W_encode·e_w.
public enum EmbedStep: EventSchema {
    public static let kind = EventKind.embed
    public static let summary = "Words to vectors: h_w = W_encode·e_w."
    public static let ids = TensorKey<Self>("ids", symbol: "ids", "each word's number in the vocabulary", shape: "(T,)", role: .value)
    public static let oneHot = TensorKey<Self>("one_hot", symbol: "e_w", "one-hot vectors: a single 1 at the word's number", shape: "(T, V)")
    public static let W = TensorKey<Self>("W_encode", symbol: "W_encode", "the table whose column w is word w's vector", shape: "(d, V)", role: .weight)
    public static let h = TensorKey<Self>("h", symbol: "h_w", "the dense vectors, one per word", shape: "(T, d)", aliases: ["vector"])
    /// Absent: the lecture's layout, W_encode (d, V), whose column w is word w's vector.
    public static let layout = IndexKey<Self>("layout", "\"row\" when the table is stored (V, d), a row per token (GPT, BERT)", isPictureName: false,
                                                    inHeader: false)
    public static let tensors = [ids, oneHot, W, h].map(\.schema)
    public static let index = [layout].map(\.schema)
    public static var result: TensorSchema? { h.schema }
}

/// Vectors to words: p(w | h) = softmax(W_dec h)_w.
public enum DecodeStep: EventSchema {
    public static let kind = EventKind.decode
    public static let summary = "Vectors to words: p(w | h) = softmax(W_dec h)_w."
    public static let h = TensorKey<Self>("h", symbol: "h_m", "the vectors decoded", shape: "(T, d)")
    public static let W = TensorKey<Self>("W_dec", symbol: "W_dec", "the decoder's weights, a row per word", shape: "(V, d)", role: .weight)
    public static let logits = TensorKey<Self>("logits", symbol: "W_dec h", "each word's score, before softmax", shape: "(T, V)", aliases: ["scores"])
    public static let p = TensorKey<Self>("p", symbol: "p(w | h)", "each word's probability, a row sums to 1", shape: "(T, V) or (V,)", palette: .probability)
    public static let tied = IndexKey<Self>("tied", "whether W_dec is W_encodeᵀ", isPictureName: false, whenTrue: "tied to W_encode")
    public static let t = IndexKey<Self>("t", "how many tokens the text had when this one was drawn", isRound: true)
    public static let token = IndexKey<Self>("token", "the token drawn", isPictureName: false)
    public static let temperature = IndexKey<Self>("temperature", "how flat the distribution was made")
    public static let topK = IndexKey<Self>("top_k", "only the k likeliest tokens could be drawn")
    public static let tensors = [h, W, logits, p].map(\.schema)
    public static let index = [tied, t, token, temperature, topK].map(\.schema)
    public static var focusRows: TensorSchema? { p.schema }
    public static var result: TensorSchema? { p.schema }
}

/// A position embedding: h_m ← h_m + P_m.
public enum PositionStep: EventSchema {
    public static let kind = EventKind.position
    public static let summary = "A position embedding: h_m ← h_m + P_m."
    public static let hBefore = TensorKey<Self>("h_before", symbol: "h before", "the token vectors", shape: "(T, d)")
    public static let P = TensorKey<Self>("P", symbol: "P", "one vector per position", shape: "(T, d)", aliases: ["P_m"])
    public static let hAfter = TensorKey<Self>("h_after", symbol: "h after", "h_m + P_m", shape: "(T, d)")
    public static let type = IndexKey<Self>("type", "learned or sinusoidal", isPictureName: false)
    public static let sequence = IndexKey<Self>("sequence", SharedIndex.sequenceMeaning, identifies: true)
    public static let tensors = [hBefore, P, hAfter].map(\.schema)
    public static let index = [type, sequence].map(\.schema)
    public static var focusRows: TensorSchema? { hBefore.schema }
    public static var result: TensorSchema? { hAfter.schema }
}

/// Self-attention, one head of one layer (or one round of a Team):
/// A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m.
public enum AttentionStep: EventSchema {
    public static let kind = EventKind.attention
    public static let summary = "Self-attention, one head of one layer (or one round of a Team): A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m."
    public static let x = TensorKey<Self>("x", symbol: "x", "what the heads read (LN(h) in a pre-LN block)", shape: "(T, d)")
    public static let q = TensorKey<Self>("q", symbol: "q_m", "each agent's question", shape: "(T, d_k)")
    public static let k = TensorKey<Self>("k", symbol: "k_t", "each agent's answer, matched against the questions", shape: "(T, d_k)")
    public static let v = TensorKey<Self>("v", symbol: "v_t", "each agent's context, what is passed on", shape: "(T, d_v)")
    public static let A = TensorKey<Self>("A", symbol: "A_{m→t}", "who listens to whom: row m asks, column t answers; rows sum to 1", shape: "(T, T)", palette: .probability, patchable: true)
    public static let delta = TensorKey<Self>("delta", symbol: "Δ_m", "what each agent hears, Σ_t A_{m→t} v_t", shape: "(T, d_v)", aliases: ["Δ", "delta_m"], patchable: true)
    public static let update = TensorKey<Self>("update", symbol: "W·Δ", "the update added to each vector, W·Δ_m", shape: "(T, d)", aliases: ["W_delta"])
    public static let hBefore = TensorKey<Self>("h_before", symbol: "h before", "the vectors before the step", shape: "(T, d)")
    public static let hAfter = TensorKey<Self>("h_after", symbol: "h after", "h_m + W·Δ_m", shape: "(T, d)")
    public static let layer = IndexKey<Self>("layer", SharedIndex.layerMeaning, isRound: true)
    public static let round = IndexKey<Self>("round", "which round of the team's meeting (from 1)", isRound: true)
    public static let head = IndexKey<Self>("head", "which head (from 1)", identifies: true)
    public static let d = IndexKey<Self>("d", "the width of q and k; scores are divided by √d", isPictureName: false)
    public static let sequence = IndexKey<Self>("sequence", SharedIndex.sequenceMeaning, identifies: true)
    public static let causal = IndexKey<Self>("causal", "whether an agent hears only those before it", isPictureName: false)
    public static let tensors = [x, q, k, v, A, delta, update, hBefore, hAfter].map(\.schema)
    public static let index = [layer, round, head, d, sequence, causal].map(\.schema)
    public static var focusRows: TensorSchema? { A.schema }
    public static var result: TensorSchema? { hAfter.schema }
}

/// A transformer's part 2: h_m ← h_m + MLP(h_m), each person thinking alone.
public enum FeedForwardStep: EventSchema {
    public static let kind = EventKind.feedforward
    public static let summary = "A transformer's part 2: h_m ← h_m + MLP(h_m), each person thinking alone."
    public static let hBefore = TensorKey<Self>("h_before", symbol: "h before", "the vectors after the meeting", shape: "(T, d)")
    public static let x = TensorKey<Self>("x", symbol: "LN(h)", "what the MLP reads in a pre-LN block", shape: "(T, d)")
    public static let hidden = TensorKey<Self>("hidden", symbol: "hidden", "the MLP's hidden layer", shape: "(T, 4d)")
    public static let delta = TensorKey<Self>("delta", symbol: "MLP(h)", "what each vector adds", shape: "(T, d)", aliases: ["Δ", "MLP_h"], patchable: true)
    public static let hAfter = TensorKey<Self>("h_after", symbol: "h after", "h_m + MLP(h_m)", shape: "(T, d)")
    public static let layer = IndexKey<Self>("layer", SharedIndex.layerMeaning, isRound: true)
    public static let sequence = IndexKey<Self>("sequence", SharedIndex.sequenceMeaning, identifies: true)
    public static let tensors = [hBefore, x, hidden, delta, hAfter].map(\.schema)
    public static let index = [layer, sequence].map(\.schema)
    public static var focusRows: TensorSchema? { hBefore.schema }
    public static var result: TensorSchema? { hAfter.schema }
}

/// A sequence loss: −log p(y|x) = −Σ_t log p(y_t | y_<t, x).
public enum LossStep: EventSchema {
    public static let kind = EventKind.loss
    public static let summary = "A sequence loss: −log p(y|x) = −Σ_t log p(y_t | y_<t, x)."
    public static let p = TensorKey<Self>("p", symbol: "p(y_t)", "the probability given to each target", shape: "(T,)", palette: .probability)
    public static let losses = TensorKey<Self>("losses", symbol: "−log p", "each target's cost, −log p(y_t)", shape: "(T,)")
    public static let total = TensorKey<Self>("total", symbol: "total", "the sum of the costs", shape: "()", role: .value)
    public static let tensors = [p, losses, total].map(\.schema)
    public static let index: [IndexSchema] = []
}

/// A reverse diffusion step: x ← x + σ²Δt ∇log p(x) + σ√Δt z.
public enum DiffusionStep: EventSchema {
    public static let kind = EventKind.diffusion
    public static let summary = "A reverse diffusion step: x ← x + σ²Δt ∇log p(x) + σ√Δt z."
    public static let x = TensorKey<Self>("x", symbol: "x_t", "the cloud of points before the step", shape: "(N, 2)")
    public static let score = TensorKey<Self>("score", symbol: "∇log p(x)", "the score: which way density grows, at each point", shape: "(N, 2)", aliases: ["s"], patchable: true)
    public static let z = TensorKey<Self>("z", symbol: "z", "the fresh noise", shape: "(N, 2)", patchable: true,
                                          unusedWhen: .init("denoise", is: .bool(true), "the last step adds no noise, so its z is not used"))
    public static let xNext = TensorKey<Self>("x_next", symbol: "x_{t−Δt}", "the cloud after the step", shape: "(N, 2)", patchable: true)
    public static let step = IndexKey<Self>("step", "which step of the run (from 1)", isRound: true)
    public static let t = IndexKey<Self>("t", "the noise time before the step")
    public static let dt = IndexKey<Self>("dt", "Δt, how far back in time the step goes")
    public static let sigma = IndexKey<Self>("sigma", "σ, the noise scale")
    public static let denoise = IndexKey<Self>("denoise", "whether this is the last, noise-free step (Tweedie's formula)", isPictureName: false,
                                                      whenTrue: "last step, no noise")
    public static let tensors = [x, score, z, xNext].map(\.schema)
    public static let index = [step, t, dt, sigma, denoise].map(\.schema)
    public static var result: TensorSchema? { xNext.schema }
}

/// An optimiser step: θ ← θ − η∇θL.
public enum TrainStep: EventSchema {
    public static let kind = EventKind.train
    public static let summary = "An optimiser step: θ ← θ − η∇θL."
    public static let loss = TensorKey<Self>("loss", symbol: "loss", "the loss before the step", shape: "()", role: .value, aliases: ["L"])
    public static let gradNorm = TensorKey<Self>("grad_norm", symbol: "‖∇θL‖", "the gradient's length (before clipping)", shape: "()", role: .value)
    public static let learningRate = TensorKey<Self>("learning_rate", symbol: "η", "the step size used", shape: "()", role: .value)
    public static let step = IndexKey<Self>("step", "which step (from 1)", isRound: true)
    public static let epoch = IndexKey<Self>("epoch", "which pass over the data (from 1)", isRound: true)
    public static let architecture = IndexKey<Self>("architecture", "skip-gram or CBOW", isPictureName: false)
    public static let lr = IndexKey<Self>("lr", "the learning rate η")
    public static let tensors = [loss, gradNorm, learningRate].map(\.schema)
    public static let index = [step, epoch, architecture, lr].map(\.schema)
}
