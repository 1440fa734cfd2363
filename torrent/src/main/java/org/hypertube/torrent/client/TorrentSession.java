package org.hypertube.torrent.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.hypertube.torrent.metainfo.InfoHash;
import org.hypertube.torrent.metainfo.Magnet;
import org.hypertube.torrent.metainfo.Metainfo;
import org.hypertube.torrent.metainfo.MetainfoException;
import org.hypertube.torrent.metainfo.TorrentFile;
import org.hypertube.torrent.metainfo.TorrentInfo;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.MetadataMessage;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.pieces.PiecePicker;
import org.hypertube.torrent.storage.ResumeData;
import org.hypertube.torrent.storage.SavedMetadata;
import org.hypertube.torrent.storage.Storage;
import org.hypertube.torrent.stream.StreamTimeoutException;
import org.hypertube.torrent.stream.TorrentStream;
import org.hypertube.torrent.tracker.AnnounceRequest;
import org.hypertube.torrent.tracker.TrackerException;
import org.hypertube.torrent.tracker.TrackerTiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent's state and decisions. All mutable state is guarded by {@code this}; nothing under
 * the lock blocks on I/O (sends are queued, hashing and disk writes run on the client's pool).
 */
final class TorrentSession implements Torrent {
    private static final Logger log = LoggerFactory.getLogger(TorrentSession.class);

    static {
        // The per-block path sends some messages only late (an endgame Cancel) or raises some events
        // only once (Completed). A class still uninitialised when the JIT compiles that path makes
        // the compiled code trap the first time it is used and the whole method be compiled again:
        // half a second of compiler time at the very end of a download (-Xlog:deoptimization).
        List<Class<?>> early = new ArrayList<>();
        for (Class<?> c : List.of(PeerMessage.class, TorrentEvent.class)) {
            early.addAll(List.of(c.getPermittedSubclasses()));
        }
        // With the JDK's ahead-of-time cache (bin/torrent), the JIT compiles a method with C2 only once
        // every class that was initialised before that compile in the training run is initialised in
        // this one too. Implicit exceptions of the per-block path (a division, an index, a null) are
        // among them and are initialised only when first thrown: late in a download or never, and the
        // per-block path ran C1 code until 1.6-2.2 s into a 1 GiB download (-XX:+LogCompilation).
        early.addAll(List.of(ArithmeticException.class, ArrayIndexOutOfBoundsException.class, NullPointerException.class,
                IndexOutOfBoundsException.class, ClassCastException.class, NegativeArraySizeException.class,
                ArrayStoreException.class, IllegalArgumentException.class, IllegalStateException.class));
        for (Class<?> k : early) {
            try {
                Class.forName(k.getName(), true, k.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
    static final int OUR_UT_METADATA_ID = 2;
    static final int OUR_REQUEST_QUEUE = 500;
    /** Unverified piece data held in memory at most (anacrolix uses 64 MiB). */
    static final long UNVERIFIED_BUDGET = 128L << 20;
    static final int REQUEST_QUEUE_SECONDS = 3;
    static final int MIN_PIPELINE = 32;
    static final int ENDGAME_REQUESTS = 4;
    static final int MAX_PIPELINE = 500;
    static final int CHOKE_INTERVAL_MS = 10_000;
    static final int BAN_STRIKES = 2;
    static final int MAX_UNREQUESTED = 64;
    private static final String BOTH_SEEDS = "both sides are seeds";
    /** Streaming: deadlines up to this (ms of media from a reader's position; head and tail are 0) go to the fastest peers. */
    static final long CRITICAL_DEADLINE = 2_000;
    /** A request for a deadline block is re-sent to another peer this long after it was due at the latest. */
    static final long LATE_REQUEST_MS = 3_000;
    /** ... or this long past the peer's expected delivery time, whichever is later. */
    static final long LATE_GRACE_MS = 2_000;
    static final int MAX_REREQUESTS_PER_TICK = 64;

    private final TorrentClient client;
    private final InfoHash infoHash;
    /** The client's download folder: resume data and saved metadata live under it. */
    private final Path dir;
    /** Where the torrent's files go: {@code dir}, or {@code dir/<info-hash>} in folder-per-torrent mode. */
    private final Path dataDir;
    private final Optional<Magnet> magnet;
    private final TrackerTiers trackers;
    private final Random random = new Random();
    private volatile CountDownLatch completed = new CountDownLatch(1);
    private final CountDownLatch metadataLatch = new CountDownLatch(1);
    /** Wakes the announcer early (completion, closing) without interrupting a tracker exchange. */
    private final java.util.concurrent.Semaphore announceWake = new java.util.concurrent.Semaphore(0);
    /** Set once the announcer stopped waiting for the first check (a later check must not wake it early). */
    private volatile boolean announcing;

    private TorrentInfo info;
    private Storage storage;
    private PiecePicker picker;
    private boolean ready;
    private TorrentState state;
    private String error;
    private final List<PeerConnection> peers = new ArrayList<>();
    private final Map<InetSocketAddress, Long> candidates = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Set<InetSocketAddress> connectingTo = new HashSet<>();
    private final Set<InetSocketAddress> selfAddresses = new HashSet<>();
    private final Set<String> banned = new HashSet<>();
    private final Set<InetSocketAddress> bannedAddresses = new HashSet<>();
    private final Map<String, Integer> strikes = new HashMap<>();
    /** Pieces being assembled, by index (allocated with the metadata). */
    private PieceBuffer[] buffers = new PieceBuffer[0];
    /**
     * Piece buffers back from verification, reused: a piece-sized array is costly to allocate and zero.
     * Guarded by itself, not by the session: the hashing threads return buffers without the session lock.
     */
    private final java.util.ArrayDeque<java.nio.ByteBuffer> spareBuffers = new java.util.ArrayDeque<>();
    /** Hash results waiting for the session lock; hashing threads never wait for it (see {@link #verifyAndWrite}). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Checked> checkedQueue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Pieces with a failed attempt on record: their good data is kept until the smart ban has compared it. */
    private final Set<Integer> smartBanPending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Spare buffers kept at most (set once the metadata is known). */
    private volatile int maxSpareBuffers = 16;
    private int pieceBuffersAllocated;

    /** One hash result; {@code data} is null for a good piece whose buffer already went back to the pool. */
    private record Checked(int piece, boolean ok, java.nio.ByteBuffer data, String[] who) {}
    /** Blocks of failed attempts: piece → block → (peer key, CRC of what it sent), for smart banning. */
    private final Map<Integer, Map<Integer, Map.Entry<String, Long>>> failedBlocks = new HashMap<>();
    private int[] filePriorities;
    private long downloaded;
    private long uploaded;
    private long verifiedBytes;
    private final RateMeter downRate = new RateMeter();
    private final RateMeter upRate = new RateMeter();
    private long lastChoke;
    private final Choker choker = new Choker(random);
    private boolean resumeDirty;
    private boolean announcedComplete;
    private volatile boolean closed;
    private volatile boolean paused;
    /** Open readers and the deadlines their wishes set (piece → deadline). */
    private final List<SessionStream> streams = new ArrayList<>();
    private final Map<Integer, Long> wishes = new HashMap<>();
    private Thread scheduler;
    private Thread announcer;
    // BEP 9 state while fetching metadata
    private byte[] metadata;
    private BitSet metadataHave;
    private long[] metadataRequestedAt;

    TorrentSession(TorrentClient client, InfoHash infoHash, Optional<Metainfo> metainfo, Optional<Magnet> magnet, Path dir,
            Path dataDir) {
        this.client = client;
        this.infoHash = infoHash;
        this.dir = dir;
        this.dataDir = dataDir;
        this.magnet = magnet;
        List<List<String>> tiers = new ArrayList<>();
        metainfo.ifPresent(m -> tiers.addAll(m.trackerTiers()));
        magnet.ifPresent(m -> m.trackers().forEach(t -> tiers.add(List.of(t))));
        this.trackers = new TrackerTiers(tiers, client.trackerTimeout(), client.clock(), random);
        this.state = metainfo.isPresent() ? TorrentState.CHECKING : TorrentState.FETCHING_METADATA;
        magnet.ifPresent(m -> m.peers().forEach(p -> candidates.put(new InetSocketAddress(p.getHostString(), p.getPort()), 0L)));
        metainfo.ifPresent(m -> this.info = m.info());
        if (info != null) {
            metadataLatch.countDown();
        }
    }

    Path dataDirectory() {
        return dataDir;
    }

    void start() {
        if (info != null) {
            Thread.ofVirtual().name("check-" + infoHash.shortHex()).start(this::initialise);
        } else {
            log.info("{} fetching metadata from peers", infoHash);
        }
        scheduler = Thread.ofVirtual().name("scheduler-" + infoHash.shortHex()).start(this::schedulerLoop);
        announcer = Thread.ofVirtual().name("announce-" + infoHash.shortHex()).start(this::announceLoop);
    }

    long now() {
        return client.clock().millis();
    }

    // ---------------------------------------------------------------- public API

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public synchronized Optional<TorrentInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public synchronized TorrentState state() {
        return state;
    }

    @Override
    public synchronized Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public synchronized double progress() {
        if (picker == null) {
            return 0;
        }
        long left = picker.bytesLeft();
        long wanted = left + wantedVerified();
        return wanted == 0 ? 1 : 1 - (double) left / wanted;
    }

    private long wantedVerified() {
        long v = 0;
        BitSet have = picker.haveSet();
        for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
            if (picker.priority(i) > 0) {
                v += picker.pieceSize(i);
            }
        }
        return v;
    }

    @Override
    public synchronized long verifiedBytes() {
        return verifiedBytes;
    }

    @Override
    public synchronized long downloadedBytes() {
        return downloaded;
    }

    @Override
    public synchronized long uploadedBytes() {
        return uploaded;
    }

    @Override
    public synchronized long downloadRate() {
        return downRate.rate(now());
    }

    @Override
    public synchronized long uploadRate() {
        return upRate.rate(now());
    }

    @Override
    public synchronized List<PeerInfo> peers() {
        long now = now();
        List<PeerInfo> out = new ArrayList<>();
        for (PeerConnection p : peers) {
            double progress = p.seed ? 1 : info == null ? 0 : (double) p.has.cardinality() / info.pieceCount();
            out.add(new PeerInfo(p.address, p.client, p.outgoing, progress, p.down.rate(now), p.up.rate(now),
                    p.peerChoking, p.amChoking, p.snubbed));
        }
        return out;
    }

    @Override
    public synchronized BitSet verifiedPieces() {
        return picker == null ? new BitSet() : picker.haveSet();
    }

    @Override
    public synchronized List<FileInfo> files() {
        if (info == null) {
            return List.of();
        }
        List<FileInfo> out = new ArrayList<>();
        List<Path> paths = storage == null ? List.of() : storage.filePaths();
        int real = 0;
        for (int f = 0; f < info.files().size(); f++) {
            TorrentFile tf = info.files().get(f);
            if (tf.pad()) {
                continue;
            }
            long verified = 0;
            if (picker != null && tf.length() > 0) {
                long end = tf.offset() + tf.length();
                for (int p = (int) (tf.offset() / info.pieceLength()); (long) p * info.pieceLength() < end; p++) {
                    if (picker.have(p)) {
                        long ps = (long) p * info.pieceLength();
                        verified += Math.min(end, ps + info.pieceSize(p)) - Math.max(tf.offset(), ps);
                    }
                }
            }
            out.add(new FileInfo(tf.displayPath(), real < paths.size() ? paths.get(real) : null, tf.length(), verified,
                    filePriorities == null ? PiecePicker.DEFAULT_PRIORITY : filePriorities[f]));
            real++;
        }
        return out;
    }

    @Override
    public synchronized void setFilePriority(int fileIndex, int priority) {
        if (info == null) {
            throw new IllegalStateException("metadata not known yet");
        }
        List<Integer> real = realFiles();
        if (fileIndex < 0 || fileIndex >= real.size()) {
            throw new IndexOutOfBoundsException("file " + fileIndex + " of " + real.size());
        }
        if (priority < 0 || priority > PiecePicker.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is not in 0.." + PiecePicker.MAX_PRIORITY);
        }
        ensurePriorities(); // also before the files were checked: the check keeps what was set
        filePriorities[real.get(fileIndex)] = priority;
        applyFilePriorities();
        peers.forEach(this::updateInterest);
        peers.forEach(this::fillRequests);
    }

    /** Once the metadata is known: every file at the default priority, or only those a magnet's {@code so} selects. */
    private void ensurePriorities() {
        if (filePriorities != null) {
            return;
        }
        filePriorities = new int[info.files().size()];
        java.util.Arrays.fill(filePriorities, PiecePicker.DEFAULT_PRIORITY);
        magnet.filter(m -> !m.selectOnly().isEmpty()).ifPresent(m -> {
            // BEP 53 indices count real files only.
            int realIndex = 0;
            for (int f = 0; f < info.files().size(); f++) {
                if (!info.files().get(f).pad()) {
                    filePriorities[f] = m.selectOnly().contains(realIndex) ? PiecePicker.DEFAULT_PRIORITY : 0;
                    realIndex++;
                }
            }
        });
    }

    private void applyFilePriorities() {
        if (picker == null) {
            return;
        }
        // A piece gets the highest priority of the files it touches (a shared boundary piece is needed by both).
        int[] prio = new int[info.pieceCount()];
        for (int f = 0; f < info.files().size(); f++) {
            TorrentFile tf = info.files().get(f);
            if (tf.pad() || tf.length() == 0) {
                continue;
            }
            int first = (int) (tf.offset() / info.pieceLength());
            int last = (int) ((tf.offset() + tf.length() - 1) / info.pieceLength());
            for (int p = first; p <= last; p++) {
                prio[p] = Math.max(prio[p], filePriorities[f]);
            }
        }
        for (int p = 0; p < prio.length; p++) {
            picker.setPriority(p, prio[p]);
        }
        if (ready && picker.isComplete()) {
            onComplete();
        } else if (ready && state == TorrentState.SEEDING) {
            // A skipped file was selected again (by a reader, say): back to downloading.
            state = TorrentState.DOWNLOADING;
            completed = new CountDownLatch(1);
            announcedComplete = false;
            resumeDirty = true;
            candidates.replaceAll((a, t) -> 0L);
            failures.clear();
            log.info("{} downloading again: a file was selected", infoHash);
        }
    }

    private List<Integer> realFiles() {
        List<Integer> real = new ArrayList<>();
        for (int f = 0; f < info.files().size(); f++) {
            if (!info.files().get(f).pad()) {
                real.add(f);
            }
        }
        return real;
    }

    // ---------------------------------------------------------------- streaming

    @Override
    public synchronized TorrentStream openStream(int fileIndex) {
        if (closed) {
            throw new IllegalStateException("torrent " + infoHash + " is closed");
        }
        if (info == null) {
            throw new IllegalStateException("metadata of " + infoHash + " not known yet");
        }
        List<Integer> real = realFiles();
        if (fileIndex < 0 || fileIndex >= real.size()) {
            throw new IndexOutOfBoundsException("file " + fileIndex + " of " + real.size());
        }
        int f = real.get(fileIndex);
        TorrentFile tf = info.files().get(f);
        SessionStream s = new SessionStream(this, fileIndex, tf.offset(), tf.length());
        streams.add(s);
        if (filePriorities != null && filePriorities[f] == 0) {
            filePriorities[f] = PiecePicker.DEFAULT_PRIORITY;
            applyFilePriorities();
            peers.forEach(this::updateInterest);
        }
        updateWishes();
        return s;
    }

    /** Raises the priority of skipped files that a reader opened before the torrent was checked. */
    private void raiseStreamedFiles() {
        List<Integer> real = realFiles();
        for (SessionStream s : streams) {
            int f = real.get(s.fileIndex());
            if (filePriorities[f] == 0) {
                filePriorities[f] = PiecePicker.DEFAULT_PRIORITY;
            }
        }
    }

    synchronized boolean streamOpen(SessionStream s) {
        return s.open;
    }

    synchronized void closeStream(SessionStream s) {
        if (!s.open) {
            return;
        }
        s.open = false;
        streams.remove(s);
        updateWishes();
        notifyAll();
    }

    /** A reader moved (read or seek): its wishes follow when it changed piece. */
    synchronized void streamMoved(SessionStream s, long from, long to) {
        s.wishPosition = to;
        if (!s.open || info == null) {
            return;
        }
        long pl = info.pieceLength();
        if ((s.fileOffset + from) / pl != (s.fileOffset + to) / pl || (from < s.length) != (to < s.length)) {
            updateWishes();
        }
    }

    synchronized void streamWindow(SessionStream s, long window) {
        if (s.window != window) {
            s.window = window;
            if (s.open) {
                updateWishes();
            }
        }
    }

    /** Verified bytes from torrent offset {@code at}, counting at most {@code max}. */
    synchronized long readableBytes(long at, long max) {
        return picker == null ? 0 : readableLocked(at, max);
    }

    private long readableLocked(long at, long max) {
        long pl = info.pieceLength();
        long n = 0;
        long pos = at;
        int p = (int) (at / pl);
        while (n < max && p < info.pieceCount() && picker.have(p)) {
            long end = Math.min((long) (p + 1) * pl, info.totalLength());
            n += end - pos;
            pos = end;
            p++;
        }
        return Math.min(n, max);
    }

    /**
     * Blocks until the piece under torrent offset {@code at} is verified; returns how many bytes from
     * there (at most {@code want}) are verified. Woken by {@link #notifyAll()} when a piece passes.
     */
    long awaitReadable(SessionStream s, long at, long want, long timeoutNanos) throws IOException {
        long until = System.nanoTime() + timeoutNanos;
        synchronized (this) {
            while (true) {
                if (!s.open) {
                    throw new java.nio.channels.ClosedChannelException();
                }
                if (closed) {
                    throw new IOException("torrent " + infoHash + " is closed");
                }
                if (state == TorrentState.FAILED) {
                    throw new IOException("torrent " + infoHash + " failed: " + error);
                }
                if (picker != null) {
                    long n = readableLocked(at, want);
                    if (n > 0) {
                        return n;
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new StreamTimeoutException("no verified data at offset " + (at - s.fileOffset) + " of file "
                            + s.fileIndex() + " of " + infoHash + " within " + Duration.ofNanos(timeoutNanos));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for piece data");
                }
            }
        }
    }

    /** Reads bytes that {@link #awaitReadable} found verified. */
    void readVerified(long at, byte[] dst, int off, int len) throws IOException {
        Storage s;
        int pl;
        synchronized (this) {
            if (closed || storage == null) {
                throw new IOException("torrent " + infoHash + " is closed");
            }
            s = storage;
            pl = info.pieceLength();
        }
        s.read((int) (at / pl), (int) (at % pl), dst, off, len);
    }

    /**
     * Recomputes the deadlines from every open reader: head and tail at 0 until verified, then the
     * window from each reader's position, nearer pieces sooner (a deadline is the time in ms at which
     * the media reaches the piece, at the rate the window was sized for). A piece keeps the most
     * urgent deadline any reader gives it. Then peers are asked at once.
     */
    private void updateWishes() {
        if (picker == null) {
            return;
        }
        Map<Integer, Long> next = new HashMap<>();
        if (state != TorrentState.SEEDING) {
            long pl = info.pieceLength();
            for (SessionStream s : streams) {
                if (s.length == 0) {
                    continue;
                }
                wishRange(next, s.fileOffset, s.fileOffset + Math.min(s.length, TorrentStream.HEAD_TAIL_BYTES), 0);
                wishRange(next, s.fileOffset + Math.max(0, s.length - TorrentStream.HEAD_TAIL_BYTES), s.fileOffset + s.length, 0);
                if (s.wishPosition < s.length) {
                    long from = s.fileOffset + s.wishPosition;
                    long to = s.fileOffset + Math.min(s.length, s.wishPosition + s.window);
                    for (int p = (int) (from / pl); p <= (int) ((to - 1) / pl); p++) {
                        if (picker.have(p)) {
                            continue;
                        }
                        long distance = Math.max(0, p * pl - from);
                        long d = 1 + distance * (TorrentStream.READAHEAD_SECONDS * 1000L) / s.window;
                        next.merge(p, d, Math::min);
                    }
                }
            }
        }
        for (int p : wishes.keySet()) {
            if (!next.containsKey(p)) {
                picker.clearDeadline(p);
            }
        }
        wishes.clear();
        wishes.putAll(next);
        next.forEach(picker::setDeadline);
        if (ready && !closed && !paused && state == TorrentState.DOWNLOADING) {
            rebalance();
        }
    }

    private void wishRange(Map<Integer, Long> next, long from, long to, long deadline) {
        long pl = info.pieceLength();
        for (int p = (int) (from / pl); p <= (int) ((to - 1) / pl); p++) {
            if (!picker.have(p)) {
                next.merge(p, deadline, Math::min);
            }
        }
    }

    /**
     * Serves readers now: fastest peers first, each gives up its newest requests for pieces without
     * a deadline while deadline blocks it could fetch are not asked of anyone, then asks for more.
     */
    private void rebalance() {
        long now = now();
        List<PeerConnection> byRate = new ArrayList<>(peers);
        byRate.sort(Comparator.comparingLong((PeerConnection p) -> p.down.rate(now)).reversed());
        for (PeerConnection p : byRate) {
            cancelForDeadlines(p);
            fillRequests(p, true);
        }
    }

    private void cancelForDeadlines(PeerConnection p) {
        if (!picker.hasDeadlines() || p.isClosed() || !p.amInterested || p.peerChoking || p.outstanding.isEmpty()) {
            return;
        }
        int plain = 0;
        for (Block b : p.outstanding) {
            if (!picker.hasDeadline(b.piece())) {
                plain++;
            }
        }
        if (plain == 0) {
            return;
        }
        int starving = picker.unrequestedDeadlineBlocks(p.has, p.seed, Long.MAX_VALUE, plain);
        if (starving == 0) {
            return;
        }
        List<Block> victims = new ArrayList<>(starving);
        for (Block b : p.outstanding.reversed()) {
            if (victims.size() >= starving) {
                break;
            }
            if (!picker.hasDeadline(b.piece())) {
                victims.add(b);
            }
        }
        for (Block b : victims) {
            p.outstanding.remove(b);
            picker.abort(b);
            p.rememberAborted(b);
            p.send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
        }
        log.debug("{} cancelled {} background requests to {} for streaming", infoHash, victims.size(), p);
    }

    /**
     * A deadline block asked of a peer that has not delivered it in time is asked of the fastest
     * other peer that has the piece (at most two peers per block); the loser is cancelled on arrival.
     */
    private void reRequestLate(long now) {
        int budget = MAX_REREQUESTS_PER_TICK;
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (!picker.hasDeadlines()) {
                p.urgentDue.clear();
                continue;
            }
            for (var it = p.urgentDue.entrySet().iterator(); it.hasNext() && budget > 0;) {
                var e = it.next();
                Block b = e.getKey();
                if (!p.outstanding.contains(b) || picker.isReceived(b) || !picker.hasDeadline(b.piece())) {
                    it.remove();
                    continue;
                }
                if (now < e.getValue()) {
                    continue;
                }
                PeerConnection q = fastestOtherFor(p, b, now);
                if (q == null) {
                    continue; // nobody else has it now: look again next tick
                }
                it.remove();
                if (!picker.requestAgain(b)) {
                    continue;
                }
                budget--;
                log.debug("{} block {} late from {}: asking {} too", infoHash, b, p, q);
                if (q.outstanding.isEmpty()) {
                    q.lastRequestAt = now;
                }
                q.urgentDue.put(b, dueAt(q, now));
                q.outstanding.add(b);
                q.send(new PeerMessage.Request(b.piece(), b.begin(), b.length()));
            }
        }
    }

    private PeerConnection fastestOtherFor(PeerConnection late, Block b, long now) {
        PeerConnection best = null;
        long bestRate = -1;
        for (PeerConnection q : peers) {
            if (q == late || q.isClosed() || q.snubbed || !q.amInterested || !(q.seed || q.has.get(b.piece()))
                    || (q.peerChoking && !q.allowedFast.contains(b.piece())) || q.outstanding.contains(b)) {
                continue;
            }
            long r = q.down.rate(now);
            if (r > bestRate) {
                best = q;
                bestRate = r;
            }
        }
        return best;
    }

    /**
     * When a deadline block asked of {@code p} now is late: after 3 s, or 2 s past its expected
     * delivery behind the requests already queued at that peer's measured rate, whichever is later.
     */
    private long dueAt(PeerConnection p, long now) {
        long rate = p.down.rate(now);
        long expected = rate <= 0 ? 0 : (p.outstanding.size() + 1L) * Block.SIZE * 1000 / rate;
        return now + Math.max(LATE_REQUEST_MS, expected + LATE_GRACE_MS);
    }

    // ---------------------------------------------------------------- pause

    @Override
    public void pause() {
        List<PeerConnection> toClose;
        synchronized (this) {
            if (paused || closed) {
                return;
            }
            paused = true;
            toClose = new ArrayList<>(peers);
            log.info("{} paused", infoHash);
        }
        toClose.forEach(PeerConnection::close);
        announceWake.release();
    }

    @Override
    public void resume() {
        synchronized (this) {
            if (!paused || closed) {
                return;
            }
            paused = false;
            // Every peer we knew is worth a try again at once.
            candidates.replaceAll((a, t) -> 0L);
            failures.clear();
            log.info("{} resumed", infoHash);
        }
        announceWake.release();
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public synchronized void connect(InetSocketAddress peer) {
        candidates.put(peer, 0L);
        failures.remove(peer);
    }

    @Override
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        boolean done = completed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
            if (state == TorrentState.FAILED) {
                throw new IllegalStateException("torrent " + infoHash + " failed: " + error);
            }
            return done && picker != null && picker.isComplete();
        }
    }

    @Override
    public boolean awaitMetadata(Duration timeout) throws InterruptedException {
        return metadataLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        List<PeerConnection> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            drainChecked(); // pieces already written count in the resume data
            closed = true;
            if (state != TorrentState.FAILED) {
                state = TorrentState.CLOSED;
            }
            toClose = new ArrayList<>(peers);
            notifyAll(); // readers waiting for pieces get an IOException
            java.util.Arrays.fill(buffers, null);
        }
        dropSpareBuffers();
        toClose.forEach(PeerConnection::close);
        if (scheduler != null) {
            scheduler.interrupt();
            try {
                // Its periodic resume save must not run after ours (or after the files were deleted).
                scheduler.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (announcer != null) {
            announceWake.release();
            try {
                if (!announcer.join(Duration.ofSeconds(2))) {
                    announcer.interrupt();
                    announcer.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        saveResume();
        synchronized (this) {
            try {
                if (storage != null) {
                    storage.close();
                }
            } catch (IOException e) {
                log.warn("{} closing files: {}", infoHash, e.toString());
            }
        }
        client.removed(this);
        completed.countDown();
        metadataLatch.countDown();
        log.info("{} closed: downloaded {} bytes, uploaded {} bytes, {} piece buffers allocated", infoHash, downloaded, uploaded,
                pieceBuffersAllocated);
    }

    @Override
    public String toString() {
        return "Torrent[" + infoHash.shortHex() + " " + state + "]";
    }

    // ---------------------------------------------------------------- start-up

    /** Opens storage, checks what is already on disk, then starts downloading or seeding. */
    private void initialise() {
        TorrentInfo ti;
        synchronized (this) {
            ti = info;
            state = TorrentState.CHECKING;
        }
        try {
            if (magnet.isPresent() && SavedMetadata.load(dir, infoHash).isEmpty()) {
                // Next time this magnet is added it starts at once, without asking peers.
                try {
                    SavedMetadata.save(dir, ti);
                } catch (IOException e) {
                    log.warn("{} cannot save metadata: {}", infoHash, e.toString());
                }
            }
            Storage s = new Storage(ti, dataDir);
            BitSet verified = ResumeData.verifiedPieces(s, ResumeData.load(dir, infoHash), i -> { });
            synchronized (this) {
                if (closed) {
                    s.close();
                    return;
                }
                storage = s;
                picker = new PiecePicker(ti.pieceCount(), ti.pieceLength(), ti.totalLength(), random);
                buffers = new PieceBuffer[ti.pieceCount()];
                maxSpareBuffers = (int) Math.max(4, UNVERIFIED_BUDGET / ti.pieceLength()) + 16;
                ensurePriorities();
                raiseStreamedFiles();
                for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
                    picker.pieceVerified(i);
                    verifiedBytes += ti.pieceSize(i);
                }
                applyFilePriorities();
                ready = true;
                resumeDirty = true;
                log.info("{} checked '{}': {} of {} pieces already verified", infoHash, ti.name(), verified.cardinality(),
                        ti.pieceCount());
                client.emit(new TorrentEvent.Checked(infoHash, verified.cardinality(), ti.pieceCount()));
                if (picker.isComplete()) {
                    onComplete();
                } else {
                    state = TorrentState.DOWNLOADING;
                }
                for (PeerConnection p : new ArrayList<>(peers)) {
                    becameReady(p);
                }
                updateWishes();
                if (!announcing) {
                    announceWake.release(); // the announcer waits for the check: announce now, not at its next poll
                }
                notifyAll();
            }
            saveResume();
        } catch (IOException | RuntimeException e) {
            fail("cannot open or check files in " + dataDir + ": " + e.getMessage());
        }
    }

    private void becameReady(PeerConnection p) {
        if (p.isClosed()) {
            return;
        }
        BitSet has = p.has;
        if (!p.seed && has.length() > info.pieceCount()) {
            dropPeer(p, "bitfield or have beyond the piece count");
            return;
        }
        register(p);
        BitSet mine = picker.haveSet();
        for (int i = mine.nextSetBit(0); i >= 0; i = mine.nextSetBit(i + 1)) {
            p.send(new PeerMessage.Have(i));
        }
        updateInterest(p);
        grantAllowedFast(p);
        fillRequests(p);
    }

    private void register(PeerConnection p) {
        if (p.registered) {
            return;
        }
        p.registered = true;
        if (p.seed) {
            picker.seedJoined();
        } else {
            picker.peerBitfield(p.has);
        }
    }

    synchronized void fail(String reason) {
        if (state == TorrentState.FAILED || closed) {
            return;
        }
        state = TorrentState.FAILED;
        error = reason;
        log.error("{} failed: {}", infoHash, reason);
        client.emit(new TorrentEvent.Failed(infoHash, reason));
        peers.forEach(PeerConnection::close);
        completed.countDown();
        notifyAll();
    }

    // ---------------------------------------------------------------- connections

    synchronized boolean accepts(PeerConnection candidate) {
        if (closed || paused || state == TorrentState.FAILED) {
            return false;
        }
        if (banned.contains(candidate.key)) {
            return false;
        }
        if (peers.size() >= client.maxConnectionsPerTorrent()) {
            return false;
        }
        for (PeerConnection p : peers) {
            if (java.util.Arrays.equals(p.peerId, candidate.peerId)) {
                return false;
            }
        }
        return true;
    }

    /** Called after both handshakes; sends our opening messages and starts the peer's threads. */
    synchronized void added(PeerConnection p) {
        peers.add(p);
        if (p.outgoing) {
            failures.remove(p.address);
        }
        if (p.extensions) {
            p.send(new PeerMessage.Extended(0, new ExtensionHandshake(Map.of(ExtensionHandshake.UT_METADATA, OUR_UT_METADATA_ID),
                    info == null ? OptionalInt.empty() : OptionalInt.of(info.rawLength()), Optional.of(TorrentClient.CLIENT_NAME),
                    OptionalInt.of(OUR_REQUEST_QUEUE), OptionalInt.of(client.port())).encode()));
        }
        if (ready) {
            BitSet have = picker.haveSet();
            if (p.fast && have.cardinality() == info.pieceCount()) {
                p.send(new PeerMessage.HaveAll());
            } else if (p.fast && have.isEmpty()) {
                p.send(new PeerMessage.HaveNone());
            } else if (!have.isEmpty()) {
                p.send(new PeerMessage.Bitfield(bitfieldBytes(have, info.pieceCount())));
            }
        } else if (p.fast) {
            p.send(new PeerMessage.HaveNone());
        }
        log.debug("{} peer {} connected ({})", infoHash, p, p.outgoing ? "outgoing" : "incoming");
        p.start();
    }

    static byte[] bitfieldBytes(BitSet have, int count) {
        byte[] b = new byte[(count + 7) / 8];
        for (int i = have.nextSetBit(0); i >= 0 && i < count; i = have.nextSetBit(i + 1)) {
            b[i >> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return b;
    }

    synchronized void disconnected(PeerConnection p, String reason) {
        if (!peers.remove(p)) {
            return;
        }
        for (Block b : p.outstanding) {
            if (picker != null) {
                picker.abort(b);
            }
        }
        p.outstanding.clear();
        if (p.registered) {
            if (p.seed) {
                picker.seedLeft();
            } else {
                picker.peerLost(p.has);
            }
        }
        if (p.outgoing && !banned.contains(p.key)) {
            if (paused || (p.droppedAsSeed && state == TorrentState.DOWNLOADING)) {
                // Closed by pause(), or dropped as a fellow seed before a file was selected: no fault of the peer's.
                failures.remove(p.address);
                candidates.put(p.address, 0L);
            } else {
                failures.merge(p.address, 1, Integer::sum);
                candidates.put(p.address, now() + 30_000L * failures.get(p.address));
            }
        }
        log.debug("{} peer {} disconnected: {}", infoHash, p, reason);
        // Its blocks are free again: give them to the others.
        if (picker != null && !closed) {
            peers.forEach(this::fillRequests);
        }
    }

    void connectionClosed() {
        client.connectionClosed();
    }

    void dropped(PeerConnection p, String reason) {
        log.info("{} dropping peer {}: {}", infoHash, p, reason);
    }

    private void dropPeer(PeerConnection p, String reason) {
        log.info("{} dropping peer {}: {}", infoHash, p, reason);
        p.droppedAsSeed = reason.equals(BOTH_SEEDS);
        p.close();
    }

    void logUnexpected(PeerConnection p, RuntimeException e) {
        log.warn("{} internal error with peer {}", infoHash, p, e);
    }

    private void connectMore() {
        if (closed || paused || (!ready && info != null)) {
            return;
        }
        boolean seeding = state == TorrentState.SEEDING;
        long now = now();
        int room = client.maxConnectionsPerTorrent() - peers.size() - connectingTo.size();
        for (var it = candidates.entrySet().iterator(); it.hasNext() && room > 0;) {
            var e = it.next();
            InetSocketAddress a = e.getKey();
            if (e.getValue() > now || connectingTo.contains(a)) {
                continue;
            }
            if (selfAddresses.contains(a) || bannedAddresses.contains(a) || client.isOwnAddress(a)
                    || failures.getOrDefault(a, 0) > 5) {
                it.remove();
                continue;
            }
            if (peers.stream().anyMatch(p -> p.address.equals(a))) {
                continue;
            }
            if (seeding && failures.getOrDefault(a, 0) > 0) {
                continue;
            }
            e.setValue(Long.MAX_VALUE); // not again until this attempt ends
            connectingTo.add(a);
            room--;
            client.dial(this, a);
        }
    }

    /** The dial was given up for want of memory on our side: tried again later, not counted against the peer. */
    synchronized void dialPostponed(InetSocketAddress a) {
        connectingTo.remove(a);
        candidates.put(a, now() + 30_000L);
    }

    synchronized void dialFailed(InetSocketAddress a, String reason) {
        connectingTo.remove(a);
        int n = failures.merge(a, 1, Integer::sum);
        candidates.put(a, now() + Math.min(300_000L, 5_000L << Math.min(n, 6)));
        log.debug("{} cannot connect to {}: {}", infoHash, a, reason);
    }

    synchronized void dialDone(InetSocketAddress a) {
        connectingTo.remove(a);
    }

    synchronized void connectedToSelf(InetSocketAddress a) {
        connectingTo.remove(a);
        selfAddresses.add(a);
        candidates.remove(a);
    }

    int maxMessageLength() {
        return MessageCodec.DEFAULT_MAX_MESSAGE;
    }

    RateLimiter limiter() {
        return client.downloadLimiter();
    }

    RateLimiter uploadLimiter() {
        return client.uploadLimiter();
    }

    // ---------------------------------------------------------------- messages

    synchronized void onMessage(PeerConnection p, PeerMessage m) throws PeerProtocolException {
        if (p.isClosed() || closed) {
            return;
        }
        // BEP 3 puts the bitfield first, but aria2 sends have-none and then a bitfield (or two
        // bitfields), so availability messages are accepted at any time and only ever add pieces.
        switch (m) {
            case PeerMessage.KeepAlive k -> { }
            case PeerMessage.Choke c -> onChoke(p);
            case PeerMessage.Unchoke u -> {
                p.peerChoking = false;
                fillRequests(p);
            }
            case PeerMessage.Interested i -> onInterested(p, true);
            case PeerMessage.NotInterested n -> onInterested(p, false);
            case PeerMessage.Have(int piece) -> onHave(p, piece);
            case PeerMessage.Bitfield(byte[] bits) -> {
                onBitfield(p, bits);
            }
            case PeerMessage.HaveAll h -> {
                requireFast(p, "have all");
                setAvailability(p, new BitSet(), true);
            }
            case PeerMessage.HaveNone h -> {
                requireFast(p, "have none");
                if (ready && !p.registered) {
                    register(p);
                }
                grantAllowedFast(p);
            }
            case PeerMessage.Request r -> onRequest(p, r);
            case PeerMessage.Piece(int piece, int begin, byte[] data) -> onBlockLocked(p, piece, begin, java.nio.ByteBuffer.wrap(data), 0, data.length);
            case PeerMessage.Cancel(int piece, int begin, int length) -> p.cancelUpload(new PeerConnection.Upload(piece, begin, length));
            case PeerMessage.Reject(int piece, int begin, int length) -> {
                requireFast(p, "reject");
                Block b = new Block(piece, begin, length);
                if (p.outstanding.remove(b) && picker != null) {
                    picker.abort(b);
                }
                fillRequests(p);
            }
            case PeerMessage.AllowedFast(int piece) -> {
                requireFast(p, "allowed fast");
                if (p.allowedFast.size() < 64 && piece >= 0 && (info == null || piece < info.pieceCount())) {
                    p.allowedFast.add(piece);
                }
            }
            case PeerMessage.Suggest s -> { }
            case PeerMessage.Port port -> { }
            case PeerMessage.Extended(int id, byte[] payload) -> onExtended(p, id, payload);
        }
    }

    private static void requireFast(PeerConnection p, String what) throws PeerProtocolException {
        if (!p.fast) {
            throw new PeerProtocolException(what + " without the fast extension");
        }
    }

    private void onChoke(PeerConnection p) {
        p.peerChoking = true;
        if (!p.fast) {
            // Without BEP 6 a choke drops every pending request; a late answer is still welcome.
            for (Block b : p.outstanding) {
                picker.abort(b);
                p.rememberAborted(b);
            }
            p.outstanding.clear();
        }
    }

    private void onInterested(PeerConnection p, boolean interested) {
        p.peerInterested = interested;
        if (interested && p.amChoking && unchokedCount() < client.uploadSlots()) {
            unchoke(p);
        } else if (!interested && !p.amChoking) {
            choke(p);
        }
    }

    private void onHave(PeerConnection p, int piece) throws PeerProtocolException {
        if (piece < 0 || (info != null && piece >= info.pieceCount()) || piece >= TorrentInfo.MAX_PIECES) {
            throw new PeerProtocolException("have for piece " + piece + " out of range");
        }
        if (p.seed || p.has.get(piece)) {
            return;
        }
        p.has.set(piece);
        if (ready && p.registered) {
            picker.peerHas(piece);
            if (!p.amInterested && picker.wanted(piece)) {
                updateInterest(p);
                fillRequests(p);
            }
        }
        if (ready && state == TorrentState.SEEDING && p.has.cardinality() == info.pieceCount()) {
            dropPeer(p, BOTH_SEEDS);
        }
    }

    private void setAvailability(PeerConnection p, BitSet has, boolean seed) {
        if (p.registered) {
            if (p.seed) {
                picker.seedLeft();
            } else {
                picker.peerLost(p.has);
            }
            p.registered = false;
        }
        p.has = has;
        p.seed = seed;
        if (ready) {
            register(p);
            updateInterest(p);
            grantAllowedFast(p);
        }
    }

    private void onBitfield(PeerConnection p, byte[] bits) throws PeerProtocolException {
        BitSet has = new BitSet(bits.length * 8);
        for (int i = 0; i < bits.length * 8; i++) {
            if ((bits[i >> 3] & (0x80 >>> (i & 7))) != 0) {
                has.set(i);
            }
        }
        if (info != null) {
            if (bits.length != (info.pieceCount() + 7) / 8) {
                throw new PeerProtocolException("bitfield of " + bits.length + " bytes for " + info.pieceCount() + " pieces");
            }
            if (has.length() > info.pieceCount()) {
                throw new PeerProtocolException("bitfield has spare bits set");
            }
        }
        if (p.seed) {
            return;
        }
        has.or(p.has);
        setAvailability(p, has, false);
        if (ready) {
            if (state == TorrentState.SEEDING && has.cardinality() == info.pieceCount()) {
                dropPeer(p, BOTH_SEEDS);
                return;
            }
            updateInterest(p);
            fillRequests(p);
        }
    }

    private void onRequest(PeerConnection p, PeerMessage.Request r) throws PeerProtocolException {
        if (info == null || !ready) {
            if (p.fast) {
                p.send(new PeerMessage.Reject(r.piece(), r.begin(), r.length()));
            }
            return;
        }
        if (r.piece() < 0 || r.piece() >= info.pieceCount() || r.begin() < 0 || r.length() <= 0
                || r.length() > MessageCodec.MAX_BLOCK || (long) r.begin() + r.length() > info.pieceSize(r.piece())) {
            throw new PeerProtocolException("request out of bounds: " + r);
        }
        // While we choke it, a fast peer may still have the pieces of its Allowed Fast set we granted.
        boolean allowed = (!p.amChoking || p.fastGranted.contains(r.piece())) && picker.have(r.piece())
                && p.uploadsQueued < OUR_REQUEST_QUEUE;
        if (!allowed) {
            if (p.fast) {
                p.send(new PeerMessage.Reject(r.piece(), r.begin(), r.length()));
            }
            return;
        }
        p.sendUpload(new PeerConnection.Upload(r.piece(), r.begin(), r.length()));
    }

    /** Writer thread, just before sending a block: still unchoked? */
    synchronized boolean approveUpload(PeerConnection p, PeerConnection.Upload u) {
        p.uploadsQueued--;
        if (p.amChoking && !p.fastGranted.contains(u.piece())) {
            if (p.fast) {
                p.send(new PeerMessage.Reject(u.piece(), u.begin(), u.length()));
            }
            return false;
        }
        return true;
    }

    void storageRead(int piece, int begin, byte[] dst, int len) throws IOException {
        Storage s;
        synchronized (this) {
            s = storage;
        }
        s.read(piece, begin, dst, 0, len);
    }

    synchronized void uploaded(PeerConnection p, int bytes) {
        long now = now();
        p.up.add(bytes, now);
        upRate.add(bytes, now);
        uploaded += bytes;
    }

    /**
     * A block from a reader thread that holds the session lock (a batch of blocks from one read);
     * {@code data} is the reader's buffer, valid only during the call. Returns the piece whose
     * hashable prefix grew, for the caller to hash after leaving the lock ({@link PieceBuffer#hashReady}).
     */
    PieceBuffer onBlockHeld(PeerConnection p, int piece, int begin, java.nio.ByteBuffer data, int offset, int len) throws PeerProtocolException {
        if (!checkedQueue.isEmpty()) {
            drainChecked();
        }
        if (p.isClosed() || closed) {
            return null;
        }
        return onBlockLocked(p, piece, begin, data, offset, len);
    }

    private PieceBuffer onBlockLocked(PeerConnection p, int piece, int begin, java.nio.ByteBuffer data, int offset, int dataLength)
            throws PeerProtocolException {
        if (!ready) {
            throw new PeerProtocolException("piece data before we asked for anything");
        }
        Block b = new Block(piece, begin, dataLength);
        long now = now();
        p.urgentDue.remove(b);
        boolean asked = p.outstanding.remove(b);
        if (!asked && !p.recentlyAborted.remove(b)) {
            // Data we never asked for: harmless (it is hashed before use) but a sign of a broken or hostile peer.
            if (++p.unrequestedBlocks > MAX_UNREQUESTED) {
                throw new PeerProtocolException("sent " + p.unrequestedBlocks + " blocks we never requested");
            }
            return null;
        }
        int len = b.length();
        p.down.add(len, now);
        downRate.add(len, now);
        downloaded += len;
        p.lastBlockAt = now;
        p.snubbed = false;
        if (picker.isReceived(b) || !picker.wanted(b.piece())) {
            fillRequests(p);
            return null;
        }
        if (!picker.inProgress(b.piece())) {
            fillRequests(p);
            return null;
        }
        PieceBuffer pb = buffers[b.piece()];
        if (pb == null) {
            int size = info.pieceSize(b.piece());
            java.nio.ByteBuffer buf = spareBuffer();
            if (buf != null && size < info.pieceLength()) {
                buf = buf.slice(0, size); // the short last piece (not pooled again)
            }
            if (buf == null) {
                buf = newPieceBuffer(size);
                if (buf == null) {
                    // No direct memory even after every torrent's idle buffers were let go: the
                    // block goes back to the picker, so nothing counts as requested that never will
                    // be, and the torrent stops with a reason; verified pieces stay on disk.
                    if (asked) {
                        picker.abort(b);
                    }
                    fail("no memory left for piece buffers; raise -XX:MaxDirectMemorySize");
                    return null;
                }
            }
            pb = new PieceBuffer(buf);
            buffers[b.piece()] = pb;
        }
        pb.data.put(b.begin(), data, offset, len);
        boolean grew = pb.arrived(b.index());
        pb.senders[b.index()] = p.key;
        // Another peer may be asked for it too: in endgame and for late streaming blocks (counted by
        // the picker), and after this peer's request was given up and the block handed to another.
        if (!asked || picker.requestCount(b) > 1) {
            cancelElsewhere(p, b);
        }
        boolean complete = picker.received(b);
        if (complete) {
            buffers[b.piece()] = null;
            client.verify(this, b.piece(), pb, pb.senders);
        }
        fillRequests(p);
        return grew && !complete ? pb : null; // a complete piece is finished by the hashing pool
    }

    /**
     * A new piece buffer, or null when there is no direct memory for one. {@code allocateDirect}
     * has already collected garbage and retried when it gives up; before giving up here, every
     * torrent's idle pooled buffers are let go (they are freed by the next collection, which the
     * second attempt triggers), so one torrent's pool does not starve another.
     */
    private java.nio.ByteBuffer newPieceBuffer(int size) {
        for (int attempt = 0; ; attempt++) {
            try {
                java.nio.ByteBuffer buf = Storage.pieceBuffer(size);
                pieceBuffersAllocated++;
                return buf;
            } catch (OutOfMemoryError e) {
                if (attempt > 0) {
                    log.warn("{} no direct memory for a {}-byte piece buffer: {}", infoHash, size, e.getMessage());
                    return null;
                }
                client.dropSpareBuffers();
            }
        }
    }

    /** Endgame or a late streaming block: others were asked for the block {@code p} just sent; they need not send it. */
    private void cancelElsewhere(PeerConnection p, Block b) {
        for (PeerConnection other : peers) {
            if (other != p && other.outstanding.remove(b)) {
                other.send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
                other.rememberAborted(b);
            }
        }
    }

    private java.nio.ByteBuffer spareBuffer() {
        synchronized (spareBuffers) {
            return spareBuffers.pollFirst();
        }
    }

    /** Lets the pooled piece buffers (direct memory) be collected. */
    void dropSpareBuffers() {
        synchronized (spareBuffers) {
            spareBuffers.clear();
        }
    }

    /** Keeps every full-size buffer up to the budget: after warm-up no piece buffer is allocated (and zeroed) again. */
    private void returnBuffer(java.nio.ByteBuffer data) {
        if (data.capacity() != info.pieceLength()) {
            return;
        }
        synchronized (spareBuffers) {
            if (spareBuffers.size() < maxSpareBuffers) {
                spareBuffers.push(data);
            }
        }
    }

    /**
     * Runs on the hash pool: SHA-1, then write if good. The result is queued for the session rather
     * than applied under its lock here: the peers' reader threads take that lock for every block, and
     * a hashing thread waiting for it (tens of ms on a busy machine) held its piece buffer and the
     * next piece's hash back.
     */
    void verifyAndWrite(int piece, PieceBuffer pb, String[] who) {
        java.nio.ByteBuffer data = pb.data;
        boolean ok = info.pieceHashMatches(piece, pb.digest());
        if (ok) {
            try {
                storage.writePiece(piece, data);
            } catch (IOException e) {
                fail("cannot write to " + dataDir + ": " + e.getMessage());
                return;
            }
        }
        java.nio.ByteBuffer keep = data;
        if (ok && !smartBanPending.contains(piece)) {
            returnBuffer(data);
            keep = null;
        }
        checkedQueue.add(new Checked(piece, ok, keep, who));
        if (drainScheduled.compareAndSet(false, true)) {
            // Readers drain the queue too, whenever they hold the lock; this covers a quiet session.
            Thread.ofVirtual().name("checked-" + infoHash.shortHex()).start(() -> {
                synchronized (this) {
                    drainScheduled.set(false);
                    drainChecked();
                }
            });
        }
    }

    /** Applies queued hash results; under the session lock. */
    private void drainChecked() {
        Checked c;
        boolean verified = false;
        while ((c = checkedQueue.poll()) != null) {
            if (closed) {
                continue;
            }
            if (state == TorrentState.FAILED) {
                // Failed after this piece was verified and written: it still counts, in the picker
                // and in the resume data, so a restart does not fetch it again.
                if (c.ok()) {
                    countVerified(c.piece());
                }
                continue;
            }
            try {
                pieceCheckedLocked(c.piece(), c.ok(), c.data(), c.who());
                verified |= c.ok();
            } finally {
                if (c.data() != null) {
                    returnBuffer(c.data());
                }
            }
        }
        if (verified && state == TorrentState.DOWNLOADING) {
            // A verified piece frees a place among the pieces in progress. When hashing fell behind,
            // that bound stopped every peer's requests, and with nothing outstanding no block would
            // arrive to ask again: without this the swarm idled until the next tick (up to 500 ms).
            for (PeerConnection p : peers) {
                fillRequests(p);
            }
        }
    }

    /** A piece verified and written: it counts for the picker, the progress and the resume data. */
    private void countVerified(int piece) {
        picker.pieceVerified(piece);
        verifiedBytes += info.pieceSize(piece);
        resumeDirty = true;
    }

    private void pieceCheckedLocked(int piece, boolean ok, java.nio.ByteBuffer data, String[] who) {
        if (ok) {
            countVerified(piece);
            smartBan(piece, data);
            boolean partialSeed = !picker.isComplete();
            for (PeerConnection p : peers) {
                if (!p.seed && !p.has.get(piece)) {
                    p.send(new PeerMessage.Have(piece));
                    if (p.fast) {
                        if (p.amChoking) {
                            grantAllowedFast(p);
                        } else if (partialSeed && p.peerInterested) {
                            // BEP 6 Suggest: the piece was just written, so it is still in the page cache and
                            // cheap to serve; a peer that wants pieces from us may as well take this one.
                            p.send(new PeerMessage.Suggest(piece));
                        }
                    }
                }
                if (p.amInterested && !picker.interesting(p.has, p.seed)) {
                    updateInterest(p);
                }
            }
            if (picker.isComplete()) {
                onComplete();
            }
            notifyAll(); // readers waiting for this piece
        } else {
            picker.pieceFailed(piece);
            smartBanPending.add(piece);
            Map<Integer, Map.Entry<String, Long>> record = failedBlocks.computeIfAbsent(piece, k -> new HashMap<>());
            Set<String> senders = new HashSet<>();
            for (int i = 0; i < who.length; i++) {
                if (who[i] != null) {
                    senders.add(who[i]);
                    Block b = picker.block(piece, i);
                    record.put(i, Map.entry(who[i], crc(data, b.begin(), b.length())));
                }
            }
            log.warn("{} piece {} failed its hash check (from {})", infoHash, piece, senders);
            for (String s : senders) {
                // A peer that sent the whole piece alone is certainly at fault; strike harder.
                int n = strikes.merge(s, senders.size() == 1 ? 2 : 1, Integer::sum);
                if (n >= BAN_STRIKES && senders.size() == 1) {
                    ban(s, "sent a piece that failed its hash check");
                }
            }
            peers.forEach(this::fillRequests);
        }
    }

    /** After a piece passes, blame exactly the peers whose blocks in an earlier failed attempt differ. */
    private void smartBan(int piece, java.nio.ByteBuffer good) {
        Map<Integer, Map.Entry<String, Long>> record = failedBlocks.remove(piece);
        smartBanPending.remove(piece);
        if (record == null || good == null) {
            return;
        }
        for (var e : record.entrySet()) {
            Block b = picker.block(piece, e.getKey());
            if (crc(good, b.begin(), b.length()) != e.getValue().getValue()) {
                ban(e.getValue().getKey(), "sent corrupt data in piece " + piece);
            }
        }
    }

    private static long crc(java.nio.ByteBuffer data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data.slice(off, len));
        return c.getValue();
    }

    private void ban(String key, String reason) {
        if (!banned.add(key)) {
            return;
        }
        log.warn("{} banned peer {}: {}", infoHash, key, reason);
        client.emit(new TorrentEvent.PeerBanned(infoHash, key, reason));
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (p.key.equals(key)) {
                if (p.outgoing) {
                    bannedAddresses.add(p.address);
                }
                p.close();
            }
        }
    }

    private void onComplete() {
        if (state == TorrentState.SEEDING) {
            return;
        }
        state = TorrentState.SEEDING;
        resumeDirty = true;
        log.info("{} complete: {} bytes verified", infoHash, verifiedBytes);
        client.emit(new TorrentEvent.Completed(infoHash));
        completed.countDown();
        dropSpareBuffers(); // a seed assembles no more pieces: their memory can go
        for (PeerConnection p : new ArrayList<>(peers)) {
            for (Block b : p.outstanding) {
                p.send(new PeerMessage.Cancel(b.piece(), b.begin(), b.length()));
            }
            p.outstanding.clear();
            p.urgentDue.clear();
            updateInterest(p);
            if (p.seed || (p.registered && p.has.cardinality() == info.pieceCount())) {
                dropPeer(p, BOTH_SEEDS);
            }
        }
        updateWishes(); // nothing left to wish for
        announceWake.release();
    }

    // ---------------------------------------------------------------- requesting

    private void updateInterest(PeerConnection p) {
        if (!ready || p.isClosed()) {
            return;
        }
        boolean want = state != TorrentState.SEEDING && picker.interesting(p.has, p.seed);
        if (want != p.amInterested) {
            p.amInterested = want;
            p.send(want ? new PeerMessage.Interested() : new PeerMessage.NotInterested());
        }
    }

    private int pipelineTarget(PeerConnection p, long now) {
        if (p.snubbed) {
            return 1;
        }
        long rate = p.down.rate(now);
        long target = rate * REQUEST_QUEUE_SECONDS / Block.SIZE;
        return (int) Math.max(MIN_PIPELINE, Math.min(target, Math.min(p.peerRequestQueue, MAX_PIPELINE)));
    }

    private int maxPartials() {
        int byBudget = (int) Math.max(4, UNVERIFIED_BUDGET / info.pieceLength());
        return Math.max(byBudget, peers.size() + 2);
    }

    private void fillRequests(PeerConnection p) {
        fillRequests(p, false);
    }

    /** {@code urgently}: skip the batching, for a reader that waits. */
    private void fillRequests(PeerConnection p, boolean urgently) {
        if (!ready || p.isClosed() || !p.amInterested || state != TorrentState.DOWNLOADING) {
            return;
        }
        boolean choked = p.peerChoking;
        if (choked && p.allowedFast.isEmpty()) {
            return;
        }
        long nowMs = now();
        int target = pipelineTarget(p, nowMs);
        int need = target - p.outstanding.size();
        // Ask in batches so the picker is not consulted for every single block.
        if (need <= 0 || (!urgently && need < Math.max(1, target / 8) && !p.outstanding.isEmpty())) {
            return;
        }
        if (picker.inEndgame()) {
            // Endgame duplicates cost bandwidth: only an idle peer asks, and only for a few blocks.
            if (!p.outstanding.isEmpty()) {
                return;
            }
            need = Math.min(need, ENDGAME_REQUESTS);
        }
        java.util.function.Predicate<Integer> canAsk = choked ? p.allowedFast::contains : i -> true;
        if (picker.hasDeadlines()) {
            // The most urgent pieces go to the fastest peers: a much slower peer leaves them to a faster one that has them.
            List<PeerConnection> faster = new ArrayList<>();
            long mine = p.down.rate(nowMs);
            for (PeerConnection q : peers) {
                if (q != p && !q.isClosed() && !q.peerChoking && !q.snubbed && q.amInterested
                        && q.down.rate(nowMs) > 2 * mine + 16 * 1024) {
                    faster.add(q);
                }
            }
            if (!faster.isEmpty()) {
                java.util.function.Predicate<Integer> base = canAsk;
                canAsk = i -> base.test(i) && (picker.deadline(i) > CRITICAL_DEADLINE
                        || faster.stream().noneMatch(q -> q.seed || q.has.get(i)));
            }
        }
        List<Block> blocks = picker.pick(p.has, p.seed, need, maxPartials(), canAsk, p.outstanding::contains);
        if (blocks.isEmpty()) {
            return;
        }
        if (p.outstanding.isEmpty()) {
            p.lastRequestAt = nowMs;
        }
        for (Block b : blocks) {
            if (picker.hasDeadline(b.piece())) {
                p.urgentDue.put(b, dueAt(p, nowMs));
            }
            p.outstanding.add(b);
        }
        p.sendRequests(blocks);
    }

    // ---------------------------------------------------------------- extensions / metadata

    private void onExtended(PeerConnection p, int id, byte[] payload) throws PeerProtocolException {
        if (id == 0) {
            ExtensionHandshake h = ExtensionHandshake.decode(payload);
            p.utMetadataId = h.extensions().getOrDefault(ExtensionHandshake.UT_METADATA, 0);
            h.requestQueue().ifPresent(q -> p.peerRequestQueue = q);
            h.client().ifPresent(c -> p.client = c.length() > 64 ? c.substring(0, 64) : c);
            p.metadataSizeClaim = h.metadataSize().orElse(0);
            if (h.listenPort().isPresent() && !p.outgoing) {
                // Remember where the peer listens so we can reach it again later.
                candidates.putIfAbsent(new InetSocketAddress(p.address.getAddress(), h.listenPort().getAsInt()), Long.MAX_VALUE);
            }
            if (info == null) {
                startMetadata(p);
            }
            return;
        }
        if (id == OUR_UT_METADATA_ID) {
            MetadataMessage mm = MetadataMessage.decode(payload);
            switch (mm) {
                case MetadataMessage.Request(int piece) -> {
                    if (p.utMetadataId == 0) {
                        return;
                    }
                    if (info == null || (long) piece * MetadataMessage.PIECE_SIZE >= info.rawLength()) {
                        p.send(new PeerMessage.Extended(p.utMetadataId, MetadataMessage.encode(new MetadataMessage.Reject(piece))));
                    } else {
                        byte[] raw = info.rawBytes();
                        int from = piece * MetadataMessage.PIECE_SIZE;
                        byte[] slice = java.util.Arrays.copyOfRange(raw, from, Math.min(raw.length, from + MetadataMessage.PIECE_SIZE));
                        p.send(new PeerMessage.Extended(p.utMetadataId,
                                MetadataMessage.encode(new MetadataMessage.Data(piece, raw.length, slice))));
                    }
                }
                case MetadataMessage.Data d -> onMetadataData(p, d);
                case MetadataMessage.Reject r -> {
                    if (metadataRequestedAt != null && r.piece() < metadataRequestedAt.length) {
                        metadataRequestedAt[r.piece()] = 0;
                    }
                }
            }
        }
        // Unknown extension ids are ignored, as BEP 10 asks.
    }

    private void startMetadata(PeerConnection p) {
        if (p.utMetadataId == 0 || p.metadataSizeClaim <= 0) {
            return;
        }
        if (metadata == null) {
            metadata = new byte[p.metadataSizeClaim];
            int pieces = (metadata.length + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
            metadataHave = new BitSet(pieces);
            metadataRequestedAt = new long[pieces];
        }
        requestMetadata();
    }

    private void requestMetadata() {
        if (metadata == null || info != null) {
            return;
        }
        long now = now();
        List<PeerConnection> able = peers.stream()
                .filter(p -> p.utMetadataId != 0 && p.metadataSizeClaim == metadata.length && !p.isClosed()).toList();
        if (able.isEmpty()) {
            return;
        }
        int n = 0;
        for (int i = 0; i < metadataRequestedAt.length; i++) {
            if (!metadataHave.get(i) && now - metadataRequestedAt[i] > 5_000) {
                PeerConnection p = able.get((n++ + random.nextInt(able.size())) % able.size());
                metadataRequestedAt[i] = now;
                p.send(new PeerMessage.Extended(p.utMetadataId, MetadataMessage.encode(new MetadataMessage.Request(i))));
            }
        }
    }

    private void onMetadataData(PeerConnection p, MetadataMessage.Data d) throws PeerProtocolException {
        if (info != null || metadata == null) {
            return;
        }
        if (d.totalSize() != metadata.length || d.piece() >= metadataRequestedAt.length) {
            throw new PeerProtocolException("ut_metadata data does not match the announced metadata size");
        }
        int from = d.piece() * MetadataMessage.PIECE_SIZE;
        int expected = Math.min(MetadataMessage.PIECE_SIZE, metadata.length - from);
        if (d.data().length != expected) {
            throw new PeerProtocolException("ut_metadata piece " + d.piece() + " has " + d.data().length + " bytes, expected " + expected);
        }
        System.arraycopy(d.data(), 0, metadata, from, expected);
        metadataHave.set(d.piece());
        if (metadataHave.cardinality() < metadataRequestedAt.length) {
            return;
        }
        if (!InfoHash.ofInfo(metadata).equals(infoHash)) {
            log.warn("{} metadata from peers does not match the info-hash; asking again", infoHash);
            metadataHave.clear();
            java.util.Arrays.fill(metadataRequestedAt, 0);
            requestMetadata();
            return;
        }
        try {
            info = TorrentInfo.parse(metadata);
        } catch (MetainfoException e) {
            fail("metadata is invalid: " + e.getMessage());
            return;
        }
        metadata = null;
        log.info("{} metadata received: '{}', {} bytes in {} pieces", infoHash, info.name(), info.totalLength(), info.pieceCount());
        client.emit(new TorrentEvent.MetadataReceived(infoHash, info.name()));
        metadataLatch.countDown();
        Thread.ofVirtual().name("check-" + infoHash.shortHex()).start(this::initialise);
    }

    // ---------------------------------------------------------------- choking

    private int unchokedCount() {
        int n = 0;
        for (PeerConnection p : peers) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    private void unchoke(PeerConnection p) {
        p.amChoking = false;
        p.unchokedAt = now();
        p.send(new PeerMessage.Unchoke());
    }

    private void choke(PeerConnection p) {
        p.amChoking = true;
        p.chokedAt = now();
        p.send(new PeerMessage.Choke());
        grantAllowedFast(p);
    }

    /**
     * BEP 6: tells a choked fast peer which pieces of its canonical Allowed Fast set (k = 10) we have,
     * so it may request them while choked. Each piece is granted once per connection, when we have it.
     */
    private void grantAllowedFast(PeerConnection p) {
        if (!p.fast || !ready || p.seed || !p.amChoking || p.isClosed()) {
            return;
        }
        if (p.fastSet == null) {
            p.fastSet = org.hypertube.torrent.peer.AllowedFastSet.generate(p.address.getAddress(), infoHash, info.pieceCount(),
                    org.hypertube.torrent.peer.AllowedFastSet.DEFAULT_SIZE);
        }
        for (int piece : p.fastSet) {
            if (picker.have(piece) && !p.has.get(piece) && p.fastGranted.add(piece)) {
                p.send(new PeerMessage.AllowedFast(piece));
            }
        }
    }

    private void rechoke(long now) {
        List<Choker.View> views = new ArrayList<>();
        for (PeerConnection p : peers) {
            if (!p.isClosed()) {
                views.add(new Choker.View(p, p.peerInterested, p.amChoking, p.down.rate(now), p.unchokedAt, p.chokedAt));
            }
        }
        Set<Object> keep = choker.decide(views, state == TorrentState.SEEDING, client.uploadSlots(), now);
        for (PeerConnection p : peers) {
            if (keep.contains(p) && p.amChoking) {
                unchoke(p);
            } else if (!keep.contains(p) && !p.amChoking) {
                choke(p);
            }
        }
    }

    // ---------------------------------------------------------------- scheduler

    private void schedulerLoop() {
        long lastResume = now();
        while (!closed) {
            try {
                Thread.sleep(client.tickMillis());
            } catch (InterruptedException e) {
                return;
            }
            boolean save;
            synchronized (this) {
                if (closed) {
                    return;
                }
                tick(now());
                save = resumeDirty && now() - lastResume >= 5_000;
            }
            if (save) {
                lastResume = now();
                saveResume();
            }
        }
    }

    synchronized void tick(long now) {
        drainChecked();
        if (state == TorrentState.FAILED) {
            return;
        }
        java.time.Duration idle = client.idleTimeout();
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (p.idleNanos() > idle.toNanos()) {
                p.closeIdle(idle);
            }
        }
        connectMore();
        if (info == null) {
            requestMetadata();
            return;
        }
        if (!ready) {
            return;
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (now - p.lastSentAt > 90_000) {
                p.send(new PeerMessage.KeepAlive());
                p.lastSentAt = now;
            }
            // Snubbed: requests outstanding and nothing received for a while. Its blocks go to others.
            if (!p.outstanding.isEmpty() && now - Math.max(p.lastBlockAt, p.lastRequestAt) > client.requestTimeout().toMillis()) {
                if (!p.snubbed) {
                    log.debug("{} peer {} snubbed us", infoHash, p);
                }
                p.snubbed = true;
                for (Block b : p.outstanding) {
                    picker.abort(b);
                    p.rememberAborted(b);
                }
                p.outstanding.clear();
                p.lastRequestAt = now;
            }
        }
        if (now - lastChoke >= CHOKE_INTERVAL_MS) {
            lastChoke = now;
            rechoke(now);
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            updateInterest(p);
        }
        if (picker.hasDeadlines() && state == TorrentState.DOWNLOADING) {
            reRequestLate(now);
            rebalance();
        } else {
            for (PeerConnection p : new ArrayList<>(peers)) {
                p.urgentDue.clear();
                fillRequests(p);
            }
        }
    }

    private void saveResume() {
        Storage s;
        ResumeData data;
        synchronized (this) {
            if (storage == null || !ready || !resumeDirty) {
                return;
            }
            s = storage;
            resumeDirty = false;
            data = new ResumeData(infoHash, picker.haveSet(), List.of());
        }
        try {
            // Flush first: resume data must never claim pieces the disk does not hold yet.
            s.flush();
            new ResumeData(infoHash, data.pieces(), s.stamps()).save(dir);
        } catch (IOException e) {
            log.warn("{} cannot save resume data: {}", infoHash, e.toString());
        }
    }

    // ---------------------------------------------------------------- trackers

    private AnnounceRequest announceRequest(AnnounceRequest.Event e) {
        synchronized (this) {
            long left = picker != null ? picker.bytesLeft() : info != null ? info.totalLength() : 1;
            return new AnnounceRequest(infoHash, client.peerId(), client.port(), uploaded, downloaded, left, e, 50,
                    client.announceKey());
        }
    }

    private synchronized boolean isReadyOrFetching() {
        return info == null || ready;
    }

    private void announceLoop() {
        if (trackers.isEmpty()) {
            return;
        }
        AnnounceRequest.Event event = AnnounceRequest.Event.STARTED;
        long waitMs = 0;
        boolean lastFailed = false;
        try {
            while (!closed) {
                while (!closed && !isReadyOrFetching()) {
                    announceWake.tryAcquire(200, TimeUnit.MILLISECONDS);
                }
                // The check's wake-up (and onComplete's, for a complete torrent) were released under
                // the session lock before ready was seen: drop them, or the first announce would be
                // followed by another at once. Closing, pausing and completion are read again below.
                announceWake.drainPermits();
                announcing = true;
                if (closed) {
                    break;
                }
                if (paused) {
                    if (event != AnnounceRequest.Event.STARTED) {
                        // Tell the tracker we left; announce "started" again on resume.
                        try {
                            trackers.announce(announceRequest(AnnounceRequest.Event.STOPPED));
                        } catch (TrackerException e) {
                            log.debug("{} stopped announce failed: {}", infoHash, e.getMessage());
                        } catch (InterruptedException e) {
                            // woken: look at the state again
                        }
                        event = AnnounceRequest.Event.STARTED;
                    }
                    while (paused && !closed) {
                        announceWake.tryAcquire(200, TimeUnit.MILLISECONDS);
                    }
                    lastFailed = false;
                    continue;
                }
                boolean completeNow;
                synchronized (this) {
                    completeNow = state == TorrentState.SEEDING && !announcedComplete;
                }
                if (completeNow && event != AnnounceRequest.Event.STARTED) {
                    event = AnnounceRequest.Event.COMPLETED;
                }
                try {
                    TrackerTiers.Answer a;
                    try {
                        a = trackers.announce(announceRequest(event));
                    } catch (InterruptedException e) {
                        if (closed) {
                            break;
                        }
                        continue; // woken for completion: announce again with the new event
                    }
                    synchronized (this) {
                        if (completeNow || state == TorrentState.SEEDING) {
                            announcedComplete = true;
                        }
                        for (InetSocketAddress peer : a.response().peers()) {
                            candidates.putIfAbsent(peer, 0L);
                        }
                        connectMore();
                    }
                    if (lastFailed) {
                        log.info("{} tracker {} answers again", infoHash, a.tracker().url());
                    }
                    lastFailed = false;
                    log.debug("{} announce to {}: {} peers", infoHash, a.tracker().url(), a.response().peers().size());
                    event = AnnounceRequest.Event.NONE;
                    int interval = Math.max(a.response().interval(), a.response().minInterval().orElse(0));
                    waitMs = Math.min(1_800_000L, Math.max(client.minAnnounceInterval().toMillis(), interval * 1000L));
                } catch (TrackerException e) {
                    if (!lastFailed) {
                        log.warn("{} announce failed: {}", infoHash, e.getMessage());
                    }
                    lastFailed = true;
                    waitMs = Math.min(300_000L, Math.max(waitMs * 2, client.minAnnounceInterval().toMillis() * 5));
                }
                // Woken early by completion (to announce it) or by closing.
                announceWake.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
                announceWake.drainPermits();
            }
        } catch (InterruptedException e) {
            // closing
        }
        try {
            trackers.announce(announceRequest(AnnounceRequest.Event.STOPPED));
        } catch (TrackerException | InterruptedException e) {
            // best effort on the way out
        }
    }
}
