package org.hypertube.playback;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears about a download's film file becoming known, its completion here and its removal here
 * ({@link Downloads#onFileKnown}, {@link Downloads#onCompleted}, {@link Downloads#onRemoved}): a listener that
 * fails is logged and the others are still told.
 */
final class DownloadListeners {

    /** Logged as the downloads' own lines, as before this moved out of {@link Downloads}. */
    private static final Logger log = LoggerFactory.getLogger(Downloads.class);

    private final List<Consumer<String>> removedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Download>> completedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Download>> fileListeners = new CopyOnWriteArrayList<>();

    void onFileKnown(Consumer<Download> listener) {
        fileListeners.add(listener);
    }

    void onRemoved(Consumer<String> listener) {
        removedListeners.add(listener);
    }

    void onCompleted(Consumer<Download> listener) {
        completedListeners.add(listener);
    }

    void fileKnown(Download d) {
        tell(fileListeners, d, d.getInfoHash(), "{} file known, listener failed: {}");
    }

    void completedHere(Download d) {
        tell(completedListeners, d, d.getInfoHash(), "{} completion not handled: {}");
    }

    void removedHere(String infoHash) {
        tell(removedListeners, infoHash, infoHash, "{} not forgotten after its removal: {}");
    }

    private static <T> void tell(List<Consumer<T>> listeners, T what, String infoHash, String failed) {
        for (var listener : listeners) {
            try {
                listener.accept(what);
            } catch (RuntimeException e) {
                log.warn(failed, infoHash, e.toString());
            }
        }
    }
}
