package org.hypertube.account;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.hypertube.system.HypertubeProperties;
import org.hypertube.system.PictureDecoder;
import org.springframework.stereotype.Component;

/**
 * Profile pictures. An upload counts as a picture only if it decodes as PNG, JPEG, GIF or BMP within
 * {@link PictureDecoder}'s bounds; it is then re-encoded as a square PNG under the data folder with a generated name, so
 * nothing the person sent (bytes, name or type) is ever served back as it came.
 */
@Component
class PictureStore {

    static final int SIZE = 256;
    /** An uploaded picture's cap, 2 MB (the multipart limit adds room for the form around it), and a fetched one's. */
    static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("^[0-9a-f-]{36}\\.png$");

    /** The upload is not a picture we accept; {@link #messageKey} says why, for the member. */
    static final class NotAPictureException extends Exception {
        private final String messageKey;

        NotAPictureException(String message) {
            this(message, "picture.invalid");
        }

        NotAPictureException(String message, String messageKey) {
            super(message);
            this.messageKey = messageKey;
        }

        String messageKey() {
            return messageKey;
        }
    }

    private final Path folder;
    private final PictureDecoder decoder;

    PictureStore(HypertubeProperties properties, PictureDecoder decoder) {
        this.folder = properties.dataDir().resolve("pictures");
        this.decoder = decoder;
    }

    /** Checks and re-encodes the upload; returns the stored picture's name. */
    String store(byte[] upload) throws NotAPictureException {
        BufferedImage image;
        try {
            image = decoder.decode(upload);
        } catch (PictureDecoder.RefusedPicture e) {
            throw new NotAPictureException(e.getMessage(), switch (e.reason()) {
                case TOO_LARGE -> "picture.tooLarge";
                case BUSY -> "picture.busy";
                case NOT_AN_IMAGE -> "picture.invalid";
            });
        }
        BufferedImage square = squareThumbnail(image);
        try {
            Files.createDirectories(folder);
            String name = UUID.randomUUID() + ".png";
            Path tmp = Files.createTempFile(folder, "upload", ".tmp");
            try {
                ImageIO.write(square, "png", tmp.toFile());
                Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store picture in " + folder, e);
        }
    }

    Optional<Path> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path path = folder.resolve(name).normalize();
        return path.startsWith(folder) && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    void delete(String name) {
        find(name).ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // an orphan file is harmless; the member already has the new picture
            }
        });
    }

    private static BufferedImage squareThumbnail(BufferedImage source) {
        int side = Math.min(source.getWidth(), source.getHeight());
        int x = (source.getWidth() - side) / 2;
        int y = (source.getHeight() - side) / 2;
        var out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(source, 0, 0, SIZE, SIZE, x, y, x + side, y + side, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
