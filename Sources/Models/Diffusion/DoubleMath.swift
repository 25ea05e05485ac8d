#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// The few elementary functions in Double that the diffusion code needs (exact mixture
/// densities, toy-data curves, time features), taken from the C library so the module
/// needs no extra dependency. Densities and responsibilities are computed in Double
/// because exp(−‖x − μ‖²/2v) underflows Float long before it stops mattering.
enum Real64 {
    static func exp(_ x: Double) -> Double { cExp(x) }
    static func log(_ x: Double) -> Double { cLog(x) }
    static func sin(_ x: Double) -> Double { cSin(x) }
    static func cos(_ x: Double) -> Double { cCos(x) }

    /// log Σ_k exp(a_k), shifted by the largest term so nothing overflows; −∞ when every
    /// term is −∞ (or the list is empty).
    static func logSumExp(_ a: [Double]) -> Double {
        guard let top = a.max(), top > -.infinity else { return -.infinity }
        var sum = 0.0
        for v in a { sum += cExp(v - top) }
        return top + cLog(sum)
    }
}

// At file scope these names resolve to the C library's functions, not to the wrappers.
private func cExp(_ x: Double) -> Double { exp(x) }
private func cLog(_ x: Double) -> Double { log(x) }
private func cSin(_ x: Double) -> Double { sin(x) }
private func cCos(_ x: Double) -> Double { cos(x) }
