import Foundation

extension SecurityValidator {
    /// Finds shell and code-execution patterns in `text`: command substitution (`$(…)`, backticks,
    /// `${IFS}`), commands chained after `;`, `&&`, `||`, `|` or a newline, `rm -rf /`, `curl … | sh`,
    /// `eval`/`exec`/`os.system`, reverse shells, fork bombs, disk wipes, `chmod 777` and reads of
    /// `/etc/shadow`-style files.
    ///
    /// Commands are matched as commands (a known program after a shell operator), so prose such as
    /// "I'll be there at 5; call me" is not flagged.
    ///
    /// - Returns: findings in text order, each with a rule id and severity.
    public func detectDangerousPatterns(_ text: String) -> [SecurityFinding] {
        let original = Array(text.utf8)
        var lowered = original
        lowered.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices where buffer[index] >= 0x41 && buffer[index] <= 0x5A { buffer[index] |= 0x20 }
        }
        return lowered.withUnsafeBufferPointer { bytes in
            let matches = SecurityDangerousPatternRules.scan(bytes)
            var locator = SecurityLineLocator(bytes: bytes)
            return matches.map { match in
                let position = locator.locate(match.range.lowerBound)
                var lineEnd = match.range.upperBound
                while lineEnd < original.count, original[lineEnd] != 0x0A, lineEnd - match.range.lowerBound < 200 {
                    lineEnd += 1
                }
                let start = max(position.lineStart, match.range.lowerBound - 60)
                let snippet = String(decoding: original[start..<min(lineEnd, original.count)], as: UTF8.self)
                return SecurityFinding(
                    ruleID: match.ruleID, severity: match.severity, message: match.message, line: position.line,
                    column: position.column, byteRange: match.range,
                    snippet: SecretRedactor.redact(snippet.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }
}

/// The byte-level matchers behind ``SecurityValidator/detectDangerousPatterns(_:)`` (input lower-cased).
enum SecurityDangerousPatternRules {
    struct Match {
        var ruleID: String
        var severity: SecuritySeverity
        var message: String
        var range: Range<Int>
    }

    /// Programs that are dangerous whenever they follow a shell operator.
    private static let strongCommands: [[UInt8]] = [
        "rm", "curl", "wget", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "python", "python3", "perl",
        "ruby", "php", "powershell", "cmd", "chmod", "chown", "mkfs", "dd", "shutdown", "reboot", "whoami", "uname",
        "ifconfig", "useradd", "crontab", "base64", "telnet", "ssh", "scp", "sudo", "nslookup", "xterm", "eval",
        "exec", "net", "certutil",
    ].map { Array($0.utf8) }

    /// Common words that are programs too: only a command when followed by a path, a flag or nothing.
    private static let weakCommands: [[UInt8]] = [
        "cat", "ls", "id", "echo", "ping", "sleep", "kill", "cp", "mv", "touch", "find", "env", "export", "head",
        "tail", "more", "less", "type", "dir", "set",
    ].map { Array($0.utf8) }

    private static let shellNames: [[UInt8]] = ["sh", "bash", "zsh", "ksh", "python", "python3", "perl", "ruby", "php"]
        .map { Array($0.utf8) }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
    }

    private static func has(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ literal: StaticString) -> Bool {
        SecurityCredentialRules.hasPrefix(bytes, start, literal)
    }

    private static func skipBlanks(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index
    }

    /// The command word at `start` when it is a known program used as a command; its end otherwise nil.
    private static func command(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var end = start
        // Allow an absolute program path: /bin/sh, /usr/bin/curl.
        var nameStart = start
        while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == 0x2F || bytes[end] == 0x2E {
            if bytes[end] == 0x2F { nameStart = end + 1 }
            end += 1
        }
        guard end > nameStart else { return nil }
        let name = Array(bytes[nameStart..<end])
        if end < bytes.count, ![0x20, 0x09, 0x0A, 0x3B, 0x7C, 0x26, 0x29, 0x60, 0x22, 0x27].contains(bytes[end]) {
            return nil
        }
        if strongCommands.contains(name) { return end }
        guard weakCommands.contains(name) else { return nil }
        let argument = skipBlanks(bytes, end)
        guard argument < bytes.count else { return end }
        let next = bytes[argument]
        return [0x2F, 0x2D, 0x7E, 0x2E, 0x24, 0x3B, 0x7C, 0x26, 0x0A, 0x29, 0x60].contains(next) ? end : nil
    }

    /// Lower-case byte pairs at which a rule may start, indexed by `first << 8 | second`.
    private static let startPairs: [Bool] = {
        var table = [Bool](repeating: false, count: 65_536)
        for first in [UInt8(ascii: "`"), UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), 0x0A] {
            for second in 0..<256 { table[Int(first) << 8 | second] = true }
        }
        let pairs = [
            "$(", "${", "rm", "cu", "wg", "ch", "ev", "ex", "os", "sh", ":(", "/d", "/e", "/.", "nc", "mk", "ba",
        ]
        for pair in pairs {
            let bytes = Array(pair.utf8)
            table[Int(bytes[0]) << 8 | Int(bytes[1])] = true
        }
        return table
    }()

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        startPairs.withUnsafeBufferPointer { scan(bytes, pairs: $0) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, pairs: UnsafeBufferPointer<Bool>) -> [Match] {
        var matches: [Match] = []
        func add(_ rule: String, _ severity: SecuritySeverity, _ message: String, _ range: Range<Int>) {
            if let last = matches.last, last.ruleID == rule, last.range.overlaps(range) { return }
            matches.append(Match(ruleID: rule, severity: severity, message: message, range: range))
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let second = index + 1 < bytes.count ? bytes[index + 1] : 0x0A
            guard pairs[Int(byte) << 8 | Int(second)] else {
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "$"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "(") {
                    if let end = command(bytes, at: skipBlanks(bytes, index + 2)) {
                        add(
                            "shell-command-substitution", .high, "command substitution $(…) runs a program", index..<end
                        )
                    }
                } else if has(bytes, index, "${ifs}") {
                    add(
                        "shell-ifs-evasion", .high, "${IFS} is used to smuggle spaces into shell commands",
                        index..<(index + 6))
                }
            case UInt8(ascii: "`"):
                if let end = command(bytes, at: skipBlanks(bytes, index + 1)) {
                    add(
                        "shell-command-substitution", .high, "backtick command substitution runs a program", index..<end
                    )
                }
            case UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), 0x0A:
                var operatorEnd = index + 1
                if byte != 0x0A, operatorEnd < bytes.count, bytes[operatorEnd] == byte { operatorEnd += 1 }
                if byte == UInt8(ascii: "&"), operatorEnd == index + 1 { break }
                let start = skipBlanks(bytes, operatorEnd)
                if let end = command(bytes, at: start) {
                    let program = bytes[start..<end].split(separator: 0x2F).last.map { Array($0) } ?? []
                    let isShell = shellNames.contains(program)
                    if byte == UInt8(ascii: "|"), operatorEnd == index + 1, isShell {
                        add("pipe-to-shell", .critical, "output piped into a shell interpreter", index..<end)
                    } else {
                        add("shell-command-chain", .high, "a command chained after a shell operator", index..<end)
                    }
                }
            case UInt8(ascii: "r"):
                if has(bytes, index, "rm "), index == 0 || !isWordByte(bytes[index - 1]) {
                    checkRemove(bytes, at: index, add: add)
                }
            case UInt8(ascii: "c"), UInt8(ascii: "w"):
                if (has(bytes, index, "curl ") || has(bytes, index, "wget "))
                    && (index == 0 || !isWordByte(bytes[index - 1]))
                {
                    var cursor = index + 5
                    while cursor < bytes.count, bytes[cursor] != 0x0A, bytes[cursor] != UInt8(ascii: "|"),
                        cursor - index < 2_048
                    {
                        cursor += 1
                    }
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "|") {
                        var start = skipBlanks(bytes, cursor + 1)
                        if has(bytes, start, "sudo ") { start = skipBlanks(bytes, start + 5) }
                        var end = start
                        while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == 0x2F { end += 1 }
                        let program = bytes[start..<end].split(separator: 0x2F).last.map { Array($0) } ?? []
                        if shellNames.contains(program) {
                            add("curl-pipe-shell", .critical, "a download piped straight into a shell", index..<end)
                        }
                    }
                }
                if has(bytes, index, "chmod ") {
                    var cursor = skipBlanks(bytes, index + 6)
                    if has(bytes, cursor, "-r ") { cursor = skipBlanks(bytes, cursor + 3) }
                    if has(bytes, cursor, "777") || has(bytes, cursor, "666") || has(bytes, cursor, "o+w")
                        || has(bytes, cursor, "a+w")
                    {
                        add("chmod-world-writable", .medium, "makes files writable by everyone", index..<(cursor + 3))
                    }
                }
                if has(bytes, index, "child_process") {
                    add("code-execution-call", .medium, "spawns a process from code", index..<(index + 13))
                }
            case UInt8(ascii: "e"):
                if (has(bytes, index, "eval(") || has(bytes, index, "exec("))
                    && (index == 0 || !isWordByte(bytes[index - 1]))
                {
                    add("code-execution-call", .high, "eval/exec runs a string as code", index..<(index + 5))
                } else if has(bytes, index, "eval "), index == 0 || !isWordByte(bytes[index - 1]) {
                    let next = skipBlanks(bytes, index + 5)
                    if next < bytes.count, [0x24, 0x22, 0x27, 0x60].contains(bytes[next]) {
                        add("code-execution-call", .high, "shell eval runs a string as code", index..<(next + 1))
                    }
                }
            case UInt8(ascii: "o"):
                if has(bytes, index, "os.system(") || has(bytes, index, "os.popen(") {
                    add("code-execution-call", .high, "os.system/os.popen runs a shell command", index..<(index + 9))
                }
            case UInt8(ascii: "s"):
                if has(bytes, index, "shell=true") {
                    add(
                        "code-execution-call", .high, "subprocess with shell=True runs a shell command",
                        index..<(index + 10))
                }
            case UInt8(ascii: ":"):
                if has(bytes, index, ":(){") || has(bytes, index, ":() {") {
                    add("fork-bomb", .critical, "a fork bomb exhausts the machine", index..<(index + 4))
                }
            case UInt8(ascii: "/"):
                if has(bytes, index, "/dev/tcp/") || has(bytes, index, "/dev/udp/") {
                    add(
                        "reverse-shell", .critical, "opens a network socket from the shell (reverse shell)",
                        index..<(index + 9))
                } else if has(bytes, index, "/etc/shadow") || has(bytes, index, "/etc/passwd")
                    || has(bytes, index, "/.ssh/id_")
                {
                    add("sensitive-file-access", .medium, "reads a credential file", index..<(index + 11))
                } else if has(bytes, index, "/dev/sd") || has(bytes, index, "/dev/nvme") {
                    var back = index - 1
                    while back >= 0, bytes[back] == 0x20 { back -= 1 }
                    if back >= 0, bytes[back] == UInt8(ascii: ">") || (back >= 2 && has(bytes, back - 2, "of=")) {
                        add("disk-destruction", .critical, "writes over a raw disk device", index..<(index + 7))
                    }
                }
            case UInt8(ascii: "n"):
                if (has(bytes, index, "nc -e") || has(bytes, index, "ncat -e") || has(bytes, index, "nc -c"))
                    && (index == 0 || !isWordByte(bytes[index - 1]))
                {
                    add("reverse-shell", .critical, "netcat executing a program (reverse shell)", index..<(index + 5))
                }
            case UInt8(ascii: "m"):
                if has(bytes, index, "mkfs"), index == 0 || !isWordByte(bytes[index - 1]) {
                    add("disk-destruction", .critical, "formats a file system", index..<(index + 4))
                } else if has(bytes, index, "mkfifo "), index == 0 || !isWordByte(bytes[index - 1]) {
                    add("reverse-shell", .high, "named pipe, a reverse-shell building block", index..<(index + 6))
                }
            case UInt8(ascii: "b"):
                if has(bytes, index, "bash -i"), index == 0 || !isWordByte(bytes[index - 1]) {
                    add("reverse-shell", .critical, "interactive shell, typical of reverse shells", index..<(index + 7))
                }
            default:
                break
            }
            index += 1
        }
        return matches
    }

    private static func checkRemove(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at start: Int,
        add: (String, SecuritySeverity, String, Range<Int>) -> Void
    ) {
        var cursor = start + 3
        var recursive = false
        var force = false
        // Flags: -rf, -fr, -r -f, -R, --recursive, --force, --no-preserve-root.
        while true {
            cursor = skipBlanks(bytes, cursor)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "-") else { break }
            var end = cursor
            while end < bytes.count, bytes[end] > 0x20 { end += 1 }
            let flag = bytes[cursor..<end]
            if flag.starts(with: "--".utf8) {
                if flag.elementsEqual("--recursive".utf8) { recursive = true }
                if flag.elementsEqual("--force".utf8) { force = true }
            } else {
                if flag.contains(UInt8(ascii: "r")) { recursive = true }
                if flag.contains(UInt8(ascii: "f")) { force = true }
            }
            cursor = end
        }
        guard recursive else { return }
        let target = cursor < bytes.count ? bytes[cursor] : 0
        let next = cursor + 1 < bytes.count ? bytes[cursor + 1] : 0x20
        let isRoot =
            (target == UInt8(ascii: "/") && (next <= 0x20 || next == UInt8(ascii: "*") || next == 0x3B))
            || target == UInt8(ascii: "~") || target == UInt8(ascii: "*") || target == UInt8(ascii: "$")
        if isRoot {
            add(
                "rm-rf-root", .critical, "recursively deletes a root, home or wildcard path",
                start..<min(bytes.count, cursor + 1))
        } else if force {
            add("rm-recursive-force", .medium, "recursive forced delete", start..<cursor)
        }
    }
}
