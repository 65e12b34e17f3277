// The Float32 engine against PyTorch over long trajectories (Tests/Reference/torch_transformer.py
// `trajectory`, torch 2.15 CPU): for every attention kind a small induction-like model trained
// 200 AdamW steps and a small classification-like model trained 400 steps, from PyTorch's initial
// weights on the same batches (integer formulas computed on both sides), plus one run with weight
// decay 0.5 so that the decoupled decay acts visibly over time. One AdamW step moves each weight by
// about lr·sign(g) whatever the moments are; hundreds of steps expose the moment accumulation, the
// bias correction at t > 1 and the decay.
//
// Tolerance: float32 rounding makes the trajectories drift apart slowly. Measured (worst / median
// relative loss difference per 50 steps over the runs): steps 1–50 1.9e-7 / 1.3e-7, 101–150
// 1.0e-6 / 1.4e-7 (raw_dotproduct_norm induction), 351–400 2.7e-7 / 2.5e-7. The bound,
// 2e-6 + 1e-7·step relative, sits above that curve; the parameter checksums (Σp and Σp² in
// Float64 every 50 steps) get the same bound. Removing AdamW's bias correction makes step 1 differ
// by ~1e-2; removing the weight decay makes the runs differ by ~6e-6 within 200 steps: both fail.

import Records
import TestSupport
import Testing
import Transformer

@Suite struct TorchTrajectoryTests {
    static let runs: [JSON] = (try? Fixtures.json("transformer_torch_trajectories.json"))?["runs"]?.array ?? []

    static func bound(_ step: Int) -> Double { 2e-6 + 1e-7 * Double(step) }

    /// The batch of `step`, as torch_transformer.py's trajectory_batch draws it.
    static func batch(_ run: JSON, step: Int) -> (tokens: [Int32], targets: [Int32]) {
        let c = run["config"]!, b = run["batch"]!.int!, t = run["length"]!.int!
        let vocab = c["vocab"]!.int!, outputs = c["outputs"]!.int!, classification = run["task"]!.string! == "classification"
        var tokens: [Int32] = [], targets: [Int32] = []
        for i in 0..<b {
            for j in 0..<t {
                tokens.append(Int32((i * 7919 + j * 104729 + step * 15485863) % (vocab - 1) + 1))
                if classification { targets.append(j == t - 1 ? Int32((i * 3 + step) % outputs) : 0) }
                else { targets.append(Int32((i * 6007 + j * 31 + step * 104723) % outputs)) }
            }
        }
        return (tokens, targets)
    }

    @Test func fixtureCoversEveryKindOnBothTasksAndWeightDecay() {
        for task in ["induction", "classification"] {
            let kinds = Self.runs.filter { $0["task"]!.string == task && $0["weight_decay"]!.double == 0.01 }.map { $0["config"]!["kind"]!.string! }
            #expect(Set(kinds) == Set(AttentionKind.paper.map(\.rawValue)), "\(task)")
        }
        #expect(Self.runs.contains { $0["weight_decay"]!.double == 0.5 })
    }

    @Test(arguments: 0..<25)
    func trajectoryMatchesPyTorch(index: Int) throws {
        let run = try #require(index < Self.runs.count ? Self.runs[index] : nil)
        let c = TorchCase(json: run)
        let model = TransformerModel(c.config, seed: 0, learningRate: run["learning_rate"]!.double!, threads: 2)
        model.weightDecay = run["weight_decay"]!.double!
        var flat = model.parameters
        for tensor in run["parameters"]!.array! {
            let slot = try #require(model.slots.first { $0.name == tensor["name"]!.string! }, "missing \(tensor["name"]!)")
            for (i, value) in c.floats(tensor["values"]).enumerated() { flat[slot.offset + i] = value }
        }
        model.parameters = flat
        let weights = c.floats(run["position_weights"]), b = run["batch"]!.int!, t = run["length"]!.int!
        let expected = run["losses"]!.array!.map { $0.double! }
        var checksums = run["checksums"]!.array![...]
        var worst = 0.0, blocks: [Double] = []   // the worst relative difference per 50 steps
        for step in 0..<run["steps"]!.int! {
            let (tokens, targets) = Self.batch(run, step: step)
            let loss = model.trainStep(tokens: tokens, targets: targets, batch: b, length: t, positionWeights: weights)
            let relative = abs(loss - expected[step]) / abs(expected[step])
            worst = max(worst, relative)
            if step % 50 == 0 { blocks.append(0) }
            blocks[blocks.count - 1] = max(blocks[blocks.count - 1], relative)
            #expect(relative <= Self.bound(step + 1), "\(c.kind) (\(run["task"]!.string!)) step \(step + 1): loss \(loss) vs \(expected[step])")
            if relative > Self.bound(step + 1) { break }
            if let check = checksums.first, check["step"]!.int! == step + 1 {
                checksums.removeFirst()
                let p = model.parameters.map(Double.init)
                let sum = p.reduce(0, +), squares = p.reduce(0) { $0 + $1 * $1 }
                let scale = p.reduce(0) { $0 + abs($1) }
                #expect(abs(sum - check["sum"]!.double!) <= Self.bound(step + 1) * scale, "\(c.kind) Σp at step \(step + 1): \(sum) vs \(check["sum"]!)")
                #expect(abs(squares - check["sum_of_squares"]!.double!) <= Self.bound(step + 1) * squares,
                        "\(c.kind) Σp² at step \(step + 1): \(squares) vs \(check["sum_of_squares"]!)")
            }
        }
        print("trajectory \(run["task"]!.string!) \(c.kind) wd \(model.weightDecay): worst relative loss difference \(worst); per 50 steps "
              + blocks.map { String(format: "%.1e", $0) }.joined(separator: " "))
    }
}
