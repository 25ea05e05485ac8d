import Foundation
import ZIPFoundation

/// NumPy's .npz: a zip archive of .npy files, one per array (`np.savez`). The zip is
/// read and written by ZIPFoundation; each entry's size is checked against the limit
/// before it is inflated, so a small file cannot claim gigabytes.
public enum NPZ {
    public static func read(_ bytes: [UInt8], file: String, limit: Int = 256 << 20) throws -> [(name: String, tensor: StoredTensor)] {
        // An entry whose data would be read past the end is never handed to ZIPFoundation,
        // which would read it for ever (ZipBounds).
        if let problem = ZipBounds.problem(in: bytes) {
            throw CheckpointError(file: file, "could not be unpacked: the archive is damaged (\(problem))")
        }
        // From a private copy on disk: ZIPFoundation's in-memory reader traps on an archive
        // whose directory points past its end, its file reader reports it.
        let copy = try privateCopy(bytes, file: file)
        defer { try? FileManager.default.removeItem(at: copy) }
        let archive: Archive
        do {
            archive = try Archive(url: copy, accessMode: .read)
        } catch {
            throw CheckpointError(file: file, "is not a zip archive, as a .npz file is")
        }
        var out: [(String, StoredTensor)] = []
        var total: UInt64 = 0
        for entry in archive where entry.type == .file {
            let name = entry.path.hasSuffix(".npy") ? String(entry.path.dropLast(4)) : entry.path
            total += entry.uncompressedSize
            guard entry.uncompressedSize <= UInt64(limit), total <= UInt64(limit) else {
                throw CheckpointError(file: file, tensor: name, "unpacks to \(entry.uncompressedSize) bytes; Huddle reads archives up to \(limit >> 20) MiB")
            }
            var data = [UInt8]()
            data.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry) { chunk in
                    guard data.count + chunk.count <= Int(entry.uncompressedSize) else { throw CheckpointError(file: file, tensor: name, "unpacks to more bytes than its entry says") }
                    data += chunk
                }
            } catch let error as CheckpointError {
                throw error
            } catch {
                throw CheckpointError(file: file, tensor: name, "could not be unpacked: the archive is damaged (\(error))")
            }
            out.append((name, try NPY.read(data[...], file: file, tensor: name)))
        }
        return out
    }

    /// `bytes` in a new file only this process can read.
    static func privateCopy(_ bytes: [UInt8], file: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-npz-\(UUID().uuidString).zip")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw CheckpointError(file: file, "could not be unpacked: no room for a working copy")
        }
        return url
    }

    /// A .npz of Float32 arrays (stored, not compressed, as `np.savez` does), written to `path`.
    public static func write(_ tensors: [(name: String, tensor: StoredTensor)], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.removeItem(at: url)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw CheckpointError(file: path, "cannot be created (\(error))")
        }
        for (name, tensor) in tensors {
            let bytes = Data(NPY.encode(tensor))
            try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: .none) { position, size in
                bytes.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }
}
