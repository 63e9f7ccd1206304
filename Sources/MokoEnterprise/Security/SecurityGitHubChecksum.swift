/// GitHub's token checksum: the last 6 characters of a `ghp_`-style token are the CRC32 of the first 30
/// characters after the prefix, in base62 (`0-9A-Za-z`), left-padded with `0`.
///
/// A correct checksum upgrades a finding to ``CredentialConfidence/verifiedFormat``; a wrong one does
/// not suppress it (gitleaks does not check it at all).
enum SecurityGitHubChecksum {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The 6-character base62 checksum of `body`.
    static func checksum(_ body: some Sequence<UInt8>) -> [UInt8] {
        var value = crc32(body)
        var digits: [UInt8] = []
        while value > 0 {
            digits.append(alphabet[Int(value % 62)])
            value /= 62
        }
        while digits.count < 6 { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }

    /// Whether the 36 characters in `body` end with the checksum of their first 30.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, body: Range<Int>) -> Bool {
        guard body.count == 36 else { return false }
        let random = bytes[body.lowerBound..<(body.lowerBound + 30)]
        let expected = checksum(random)
        return expected.elementsEqual(bytes[(body.lowerBound + 30)..<body.upperBound])
    }
}
