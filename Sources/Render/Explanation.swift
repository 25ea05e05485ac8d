import Trace

/// How one kind of step is drawn and told in words. Each kind's picture file holds both,
/// so a new kind of event is one picture file and one line in `EventKind.picture`.
protocol StepPicture {
    /// `focus` is the row whose numbers fill the formulas in (resolved by `EventPicture`).
    init(event: TraceEvent, focus: Int?)
    func block(_ options: RenderOptions) -> TextBlock
    /// `:explain`'s words: the step's formula in the lecture's story of a team of vectors
    /// passing messages, with this step's own names and numbers. `place` is
    /// " (layer 1, head 2)", or empty.
    func explanation(place: String) -> String
}

extension EventKind {
    /// The picture that draws and explains this kind of step.
    var picture: any StepPicture.Type {
        switch self {
        case .attention: AttentionPicture.self
        case .residual, .position, .feedforward: UpdatePicture.self
        case .lstm: LSTMPicture.self
        case .layer, .recurrent, .conv: LayerPicture.self
        case .embed, .decode, .loss: WordPicture.self
        case .diffusion: DiffusionPicture.self
        case .train: TrainPicture.self
        }
    }
}

/// `:explain`: the current step in words.
public enum Explanation {
    public static func text(for event: TraceEvent, focus: Int? = nil) -> String {
        let where_ = event.placeWords().joined(separator: ", ")
        let place = where_.isEmpty ? "" : " (\(where_))"
        let focus = EventPicture(event, focus: focus).resolvedFocus
        return event.kind.picture.init(event: event, focus: focus).explanation(place: place)
    }
}
