// checkpoint-crash-child: a job that a test kills with SIGKILL at random moments, then resumes.
//
//     checkpoint-crash-child ledger <directory> <ledger-file> <count>
//     checkpoint-crash-child outbox <directory> <count>
//
// For each of the items `item-0001` … `item-<count>` that the checkpoint "crash-job" in <directory>
// does not list as completed:
// - `ledger`: append "item-NNNN\n" to <ledger-file> (the side effect; open, append, close), then mark
//   the item completed. A kill between the two repeats the side effect on resume (at-least-once).
// - `outbox`: mark the item completed and record the side effect as an outbox message in the same
//   transaction (exactly once).
// Prints "opened", then "completed item-NNNN" after each mark, then "finished", each line unbuffered so
// the test can kill the process after the k-th line. Exits 64 on bad usage, 1 on a store error.
//
// Built by `swift build --build-tests` (and by `swift test`) next to the test bundle:
// `.build/<triple>/debug/checkpoint-crash-child`.

import Foundation
import MokoEnterprise

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data(("checkpoint-crash-child: " + message + "\n").utf8))
    exit(code)
}

/// Appends `line` to the ledger: one `write(2)` with `O_APPEND`, so a kill never leaves half a line.
func appendToLedger(_ path: String, _ line: String) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { fail("cannot open the ledger \(path)", code: 1) }
    let bytes = Array(line.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard written == bytes.count else { fail("short write to the ledger \(path)", code: 1) }
}

let usage = "usage: checkpoint-crash-child ledger <directory> <ledger-file> <count> | outbox <directory> <count>"
let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? ""
let ledgerPath: String?
let countText: String
switch (mode, arguments.count) {
case ("ledger", 4):
    ledgerPath = arguments[2]
    countText = arguments[3]
case ("outbox", 3):
    ledgerPath = nil
    countText = arguments[2]
default:
    fail(usage, code: 64)
}
guard let count = Int(countText), count > 0 else { fail(usage, code: 64) }
let directory = URL(fileURLWithPath: arguments[1], isDirectory: true)

do {
    let checkpoint = try Checkpoint(name: "crash-job", directory: directory)
    say("opened")
    for index in 1...count {
        let item = "item-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
        if try checkpoint.isCompleted(item) { continue }
        if let ledgerPath {
            appendToLedger(ledgerPath, item + "\n")
            try checkpoint.markCompleted(item)
        } else {
            try checkpoint.markCompleted(item, outbox: item)
        }
        say("completed \(item)")
    }
    say("finished")
} catch {
    fail("\(error)", code: 1)
}
