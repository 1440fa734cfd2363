package org.hypertube.torrent.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.hypertube.torrent.InfoHash;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;
import org.hypertube.torrent.TorrentInfo;

/**
 * The info dictionary of a magnet download once received and verified, kept as a minimal .torrent
 * ({@code d4:info...e}, the info bytes exactly as received) in
 * {@code <download dir>/.hypertube/<info-hash>.torrent}, so adding the magnet again starts at once.
 */
public final class SavedMetadata {
    private SavedMetadata() {}

    public static Path fileFor(Path downloadDir, InfoHash hash) {
        return downloadDir.resolve(".hypertube").resolve(hash.hex() + ".torrent");
    }

    public static void save(Path downloadDir, TorrentInfo info) throws IOException {
        Path target = fileFor(downloadDir, info.infoHash());
        Files.createDirectories(target.getParent());
        ByteArrayOutputStream out = new ByteArrayOutputStream(info.rawLength() + 16);
        out.write("d4:info".getBytes(StandardCharsets.US_ASCII));
        out.write(info.rawBytes());
        out.write('e');
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, out.toByteArray());
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The saved metadata when present, readable and of this info-hash; empty otherwise. */
    public static Optional<Metainfo> load(Path downloadDir, InfoHash hash) {
        Path p = fileFor(downloadDir, hash);
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > Metainfo.MAX_FILE_SIZE) {
                return Optional.empty();
            }
            Metainfo m = Metainfo.parse(Files.readAllBytes(p));
            return m.infoHash().equals(hash) ? Optional.of(m) : Optional.empty();
        } catch (IOException | MetainfoException e) {
            return Optional.empty();
        }
    }
}
