/// A deterministic random number generator (SplitMix64) for checks that use random data: the same seed
/// gives the same inputs on every machine, so a failing hidden check can be reproduced by its author.
///
/// ```swift
/// var random = CheckRandomGenerator(seed: 13)
/// let count = Int.random(in: 3...9, using: &random)
/// ```
public struct CheckRandomGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    ///
    /// - Parameter seed: any value.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A random word of `length` characters drawn from `alphabet`.
    ///
    /// - Parameters:
    ///   - length: how many characters.
    ///   - alphabet: the characters to draw from; lowercase ASCII letters by default.
    /// - Returns: the word (empty when `alphabet` is empty).
    public mutating func word(length: Int, alphabet: String = "abcdefghijklmnopqrstuvwxyz") -> String {
        let characters = Array(alphabet)
        guard !characters.isEmpty else { return "" }
        return String((0..<max(0, length)).map { _ in characters[Int.random(in: 0..<characters.count, using: &self)] })
    }
}
