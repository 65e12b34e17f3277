// Every file the program writes goes through `writeAtomically`: results, markers, figures, stamps,
// maps, tracks, the report, determinism records, golden files, merges.
//
//   1. The folders between the folder the user named (`under`) and the file are created if
//      missing; one that exists must be a real folder: a symbolic link there is an error naming
//      it, never followed (in a shared results folder another user could plant one).
//   2. A symbolic link at the final path is an error too.
//   3. The bytes go to a temporary file with an unpredictable name created with O_CREAT|O_EXCL
//      (mkstemps) in the target folder, are flushed to disk (fsync), then renamed over the final
//      path: an interrupted write never leaves a partial file, and nobody can pre-plant the
//      temporary name.
//
// `preflight` runs before any computation: the output folder can be created and written, and its
// disk has room, so that a read-only or full disk is found before hours of work, not after.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` atomically to `path` (see the file comment); `root` is the folder the user named.
public func writeAtomically(_ text: String, to path: String, under root: String? = nil) throws {
    try writeAtomically(Array(text.utf8), to: path, under: root)
}

/// Writes `bytes` atomically to `path` (see the file comment); `root` is the folder the user named.
public func writeAtomically(_ bytes: [UInt8], to path: String, under root: String? = nil) throws {
    let directory = (path as NSString).deletingLastPathComponent
    do {
        try makeDirectories(directory.isEmpty ? "." : directory, under: root)
    } catch let PipelineError.io(folder, reason) {
        throw PipelineError.io(path, folder == path ? reason : "\(folder): \(reason)")
    }
    if isSymbolicLink(path) { throw PipelineError.io(path, "it is a symbolic link; refusing to write through it") }
    var template = Array("\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).XXXXXX.tmp".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
    guard fd >= 0 else { throw PipelineError.io(path, String(cString: strerror(errno))) }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    func fail(_ reason: String) -> PipelineError {
        close(fd); unlink(temporary)
        return PipelineError.io(path, reason)
    }
    fchmod(fd, 0o644)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        if n <= 0 { throw fail(String(cString: strerror(errno))) }   // e.g. "No space left on device"
        written += n
    }
    guard fsync(fd) == 0 else { throw fail(String(cString: strerror(errno))) }
    close(fd)
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw PipelineError.io(path, reason)
    }
}

func isSymbolicLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
}

/// Creates `directory`: `root` (default: `directory` itself) as the user named it, then every
/// folder below it one by one, refusing a symbolic link or a file in the way.
func makeDirectories(_ directory: String, under root: String? = nil) throws {
    let top = root ?? directory
    // The user's folder and its parents, one mkdir at a time, so that an error has its errno.
    var prefix = top.hasPrefix("/") ? "" : "."
    for component in top.split(separator: "/") {
        prefix += "/" + component
        var info = stat()
        if stat(prefix, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw PipelineError.io(prefix, "it is not a folder") }
            continue
        }
        guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else { throw PipelineError.io(prefix, String(cString: strerror(errno))) }
    }
    let base = URL(fileURLWithPath: top).standardizedFileURL.pathComponents
    let full = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
    guard full.starts(with: base) else { return }
    var current = URL(fileURLWithPath: top).standardizedFileURL.path
    for component in full.dropFirst(base.count) {
        current += "/" + component
        if isSymbolicLink(current) { throw PipelineError.io(current, "it is a symbolic link; refusing to write through it") }
        var info = stat()
        if lstat(current, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw PipelineError.io(current, "it is not a folder") }
            continue
        }
        guard mkdir(current, 0o755) == 0 || errno == EEXIST else { throw PipelineError.io(current, String(cString: strerror(errno))) }
        if isSymbolicLink(current) { throw PipelineError.io(current, "it is a symbolic link; refusing to write through it") }
    }
}

/// Before computing: `directory` can be created and written, and its disk has `bytes` free.
public func preflight(_ directory: String, needs bytes: UInt64 = 32 << 20) throws {
    do {
        try makeDirectories(directory)
    } catch let PipelineError.io(folder, reason) {
        throw PipelineError.io(directory, folder == directory ? reason : "\(folder): \(reason)")
    }
    var template = Array("\(directory)/.paper-repro-preflight.XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw PipelineError.io(directory, String(cString: strerror(errno))) }
    let probe = [UInt8](repeating: 0, count: 4096)
    let wrote = probe.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == probe.count && fsync(fd) == 0
    let reason = String(cString: strerror(errno))
    close(fd)
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    guard wrote else { throw PipelineError.io(directory, reason) }
    var disk = statvfs()
    if statvfs(directory, &disk) == 0 {
        let free = UInt64(disk.f_bavail) * UInt64(disk.f_frsize)
        guard free >= bytes else {
            throw PipelineError.io(directory, "only \(free >> 20) MB free on its disk; at least \(bytes >> 20) MB are needed")
        }
    }
}
