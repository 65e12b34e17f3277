// The file names (without extension) of the figures the experiments list, as the authors named
// them (docs/spec.md §1). The Figures module draws them under these names.

import Transformer

public enum FigureName {
    /// F8 `sink_proportions_…` and F9 `accuracy_…`, e.g. "sink_proportions_aux0.2_shift_add".
    public static func induction(_ figure: String, aux: Double, shift: Bool, positional: Positional) -> String {
        "\(figure)_aux\(aux)_\(shift ? "shift" : "noshift")_\(positional.rawValue)"
    }

    /// F10, e.g. "attention_map_softmax_0_1_3" (label, sample, layer, head).
    public static func attentionMap(attention: String, sample: Int, layer: Int, head: Int) -> String {
        "attention_map_\(attention)_\(sample)_\(layer)_\(head)"
    }

    /// F11, e.g. "fliprate_vocab41_nomlp_noln".
    public static func flipRate(vocabulary: Int, mlp: Bool, layerNorm: Bool) -> String {
        "fliprate_vocab\(vocabulary)_\(mlp ? "mlp" : "nomlp")_\(layerNorm ? "ln" : "noln")"
    }

    /// S1, e.g. "sparsity_layers2_heads4".
    public static func sparsityOverview(layers: Int, heads: Int) -> String { "sparsity_layers\(layers)_heads\(heads)" }

    public static let sampleTracking = "classification_with_sample_tracking"
    public static let sinkScores = "sink_scores"
    public static let miniLM = "minilm_sparsity"
}
