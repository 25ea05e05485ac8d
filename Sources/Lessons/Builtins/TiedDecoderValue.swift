import Language
import Models
import Render
import Tensor

/// A decoder tied to an embedding: W_dec = W_encodeᵀ, the very weight of that
/// embedding. It behaves as a model (`dec(h)`, `dec.top(h)`, `dec.W_dec`), and a copy (for
/// rewinding) is tied to the copy of its embedding, so the two stay one.
final class TiedDecoderValue: HostValue, PictureProviding {
    let embedding: ModelValue
    let embeddingModel: WordEmbedding

    /// Nil unless `embedding` holds an Embedding.
    init?(embedding: ModelValue) {
        guard let model = embedding.model as? WordEmbedding else { return nil }
        self.embedding = embedding
        embeddingModel = model
    }

    /// A fresh view each time: it reads whatever W_encode holds now.
    var view: ModelValue { ModelValue.part(WordDecoder(tiedTo: embeddingModel)) }

    var typeName: String { "Decoder" }
    var description: String { view.description }
    var memberNames: [String] { view.memberNames }
    var helpText: String? { view.helpText }

    func member(named name: String) throws -> Value? { try view.member(named: name) }
    func setMember(named name: String, to value: Value) throws { try view.setMember(named: name, to: value) }
    func call(_ arguments: Arguments, context: CallContext) throws -> Value { try view.call(arguments, context: context) }

    func copy(using copier: Copier) -> any HostValue {
        TiedDecoderValue(embedding: copier.copy(embedding)) ?? self
    }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock([Line(view.description, Theme.heading)])
        block.append(Line("  W_dec = W_encodeᵀ  " + formatShape([embeddingModel.vocabulary.count, embeddingModel.dimension])
                          + "  (the embedding's weight: no numbers of its own)", Theme.muted))
        return block
    }
}
