import Lessons
import Render

/// A training loop's progress on one terminal line, redrawn in place:
/// `step 312/1000 ████████░░░░░░░░ loss 1.234  95 steps/s  7 s left`.
enum ProgressBar {
    static func line(_ p: TrainingProgress, width: Int) -> String {
        let fraction = p.total > 0 ? Double(p.step) / Double(p.total) : 1
        let rate = p.seconds > 0 ? Double(p.step) / p.seconds : 0
        let left = rate > 0 ? Double(p.total - p.step) / rate : 0
        var tail = ""
        if let loss = p.loss { tail += "  loss \(NumberFormat.fixed(loss, decimals: 4))" }
        if rate > 0 { tail += rate >= 10 ? "  \(Int(rate.rounded())) \(p.unit)s/s" : "  \(NumberFormat.fixed(Float(rate), decimals: 1)) \(p.unit)s/s" }
        if !p.finished && rate > 0 { tail += "  \(Int(left.rounded(.up))) s left" }
        let head = "\(p.unit) \(p.step)/\(p.total) "
        let barWidth = max(10, min(30, width - head.count - tail.count - 2))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        return head + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + tail
    }
}
