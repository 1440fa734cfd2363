package org.hypertube.torrent.storage;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;
import org.hypertube.torrent.InfoHash;

/**
 * Verified pieces and the file stamps they were verified against, bencoded in
 * {@code <download dir>/.hypertube/<info-hash>.resume}. Written atomically (temp file + move) so a
 * crash leaves either the old or the new version, never half of one.
 */
public record ResumeData(InfoHash infoHash, BitSet pieces, List<Storage.FileStamp> files) {
    private static final Bencode.Limits LIMITS = new Bencode.Limits(8, 1 << 20, 1_000_000);

    public static Path fileFor(Path downloadDir, InfoHash hash) {
        return downloadDir.resolve(".hypertube").resolve(hash.hex() + ".resume");
    }

    public void save(Path downloadDir) throws IOException {
        Path target = fileFor(downloadDir, infoHash);
        Files.createDirectories(target.getParent());
        List<BValue> fs = new ArrayList<>();
        for (Storage.FileStamp s : files) {
            fs.add(Bencode.list(List.of(Bencode.integer(s.size()), Bencode.integer(s.modifiedMillis()))));
        }
        byte[] bytes = Bencode.encode(Bencode.dict("files", Bencode.list(fs), "info-hash", infoHash.bytes(),
                "pieces", pieces.toByteArray()));
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The saved data, or empty if there is none or it is unreadable (then everything is re-checked). */
    public static Optional<ResumeData> load(Path downloadDir, InfoHash hash) {
        Path p = fileFor(downloadDir, hash);
        try {
            if (!Files.exists(p) || Files.size(p) > (4 << 20)) {
                return Optional.empty();
            }
            if (!(Bencode.decode(Files.readAllBytes(p), LIMITS) instanceof BValue.BDict d)) {
                return Optional.empty();
            }
            if (!(d.get("info-hash").orElse(null) instanceof BValue.BBytes h) || !InfoHash.of(h.bytes()).equals(hash)
                    || !(d.get("pieces").orElse(null) instanceof BValue.BBytes bits)
                    || !(d.get("files").orElse(null) instanceof BValue.BList(List<BValue> fl))) {
                return Optional.empty();
            }
            List<Storage.FileStamp> stamps = new ArrayList<>();
            for (BValue v : fl) {
                if (v instanceof BValue.BList(List<BValue> pair) && pair.size() == 2
                        && pair.get(0) instanceof BValue.BInt(long size) && pair.get(1) instanceof BValue.BInt(long mtime)) {
                    stamps.add(new Storage.FileStamp(size, mtime));
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(new ResumeData(hash, BitSet.valueOf(bits.bytes()), stamps));
        } catch (IOException | BencodeException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The pieces that are verified now: those resume data vouches for in files whose stamp has not
     * changed, plus whatever {@code storage} finds when hashing the pieces of files that changed.
     */
    public static BitSet verifiedPieces(Storage storage, Optional<ResumeData> resume, java.util.function.IntConsumer progress)
            throws IOException {
        int n = storage.info().pieceCount();
        List<Storage.FileStamp> now = storage.stamps();
        BitSet toCheck = new BitSet(n);
        BitSet trusted = new BitSet(n);
        if (resume.isPresent() && resume.get().files().size() == now.size()) {
            trusted.or(resume.get().pieces());
            trusted.clear(n, Math.max(n, trusted.length()));
            for (int f = 0; f < now.size(); f++) {
                if (storage.info().files().get(f).pad()) {
                    continue;
                }
                if (!now.get(f).equals(resume.get().files().get(f))) {
                    BitSet affected = storage.piecesOfFile(f);
                    trusted.andNot(affected);
                    toCheck.or(affected);
                }
            }
            // Pieces spanning a changed file and an unchanged one are checked, not trusted.
        } else {
            for (int f = 0; f < now.size(); f++) {
                if (now.get(f).size() > 0) {
                    toCheck.or(storage.piecesOfFile(f));
                }
            }
        }
        toCheck.andNot(trusted);
        BitSet verified = storage.check(toCheck, progress);
        verified.or(trusted);
        return verified;
    }
}
