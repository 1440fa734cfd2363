package org.hypertube.torrent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.hypertube.torrent.pex.PexPeer;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.pieces.PiecePicker;
import org.hypertube.torrent.storage.ResumeData;
import org.hypertube.torrent.storage.SavedMetadata;
import org.hypertube.torrent.storage.Storage;
import org.hypertube.torrent.tracker.AnnounceRequest;
import org.hypertube.torrent.tracker.TrackerTiers;
import org.hypertube.torrent.webseed.WebSeedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent: a thin coordinator over parts that each own their state — the {@link PeerList} fed
 * by {@link PeerSource}s, the {@link Requester}, {@link ReaderWishes}, the {@link PieceAssembly},
 * the {@link SmartBan}, {@link UploadSlots}, {@link FilePriorities} and the BEP 10
 * {@link Extensions}. All mutable state is guarded by {@code this}; nothing under the lock blocks
 * on I/O (sends are queued, hashing and disk writes run on the client's pool).
 */
final class TorrentSession implements Torrent, MetadataExchange.Torrent, PieceAssembly.Host, Announcer.Torrent {
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
    /** Our BEP 10 message ids (libtorrent uses the same). */
    static final int UT_PEX_ID = 1;
    static final int UT_METADATA_ID = 2;
    static final int OUR_REQUEST_QUEUE = 500;
    static final int MAX_UNREQUESTED = 64;
    private static final String BOTH_SEEDS = "both sides are seeds";

    private final TorrentClient client;
    private final InfoHash infoHash;
    /** The client's download folder: resume data and saved metadata live under it. */
    private final Path dir;
    /** Where the torrent's files go: {@code dir}, or {@code dir/<info-hash>} in folder-per-torrent mode. */
    private final Path dataDir;
    private final Optional<Magnet> magnet;
    private final Random random = new Random();
    private volatile CountDownLatch completed = new CountDownLatch(1);
    private final CountDownLatch metadataLatch = new CountDownLatch(1);

    private TorrentInfo info;
    private Storage storage;
    private PiecePicker picker;
    private Requester requester;
    private volatile PieceAssembly assembly;
    private FilePriorities priorities;
    private boolean ready;
    private TorrentState state;
    private String error;
    private final List<PeerConnection> peers = new ArrayList<>();
    private final WebSeeds webSeeds;
    private final WebSeeds.Host webSeedHost = new WebSeedHost();
    /** Everything that is asked for blocks: the wire peers and the web seeds. */
    private final List<Peer> requestable = new ArrayList<>();
    private final PeerList peerList = new PeerList();
    private final List<PeerSource> sources = new ArrayList<>();
    private final Announcer announcer;
    private final Extensions extensions = new Extensions();
    private final SmartBan smartBan = new SmartBan();
    private final UploadSlots uploadSlots;
    private final ReaderWishes wishes = new ReaderWishes();
    private final Set<String> banned = new HashSet<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private long downloaded;
    /** Bytes of blocks that came when the block had already come (a second request's loser, a cancel too late). */
    private long receivedTwice;
    private long uploaded;
    /** Pieces that failed their hash check, for {@link TorrentClient#stats()}. */
    private long hashFailures;
    private long verifiedBytes;
    private final RateMeter downRate = new RateMeter();
    private final RateMeter upRate = new RateMeter();
    private boolean resumeDirty;
    private volatile boolean closed;
    private volatile boolean paused;
    /** Open readers; their wishes set the pieces' deadlines. */
    private final List<SessionStream> streams = new ArrayList<>();
    /** Reads that found nothing verified and waited, counted: the latest waiting reader's piece comes first. */
    private long blockedReads;
    private Thread scheduler;

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
        this.announcer = new Announcer(this, new TrackerTiers(tiers, client.trackerTimeout(), client.clock(), random, client.addressPolicy()),
                client.minAnnounceInterval());
        this.uploadSlots = new UploadSlots(infoHash, random, client.uploadSlots());
        this.state = metainfo.isPresent() ? TorrentState.CHECKING : TorrentState.FETCHING_METADATA;
        magnet.ifPresent(m -> peerList.offer(
                m.peers().stream().map(p -> new InetSocketAddress(p.getHostString(), p.getPort())).toList(), "magnet"));
        metainfo.ifPresent(m -> this.info = m.info());
        this.webSeeds = new WebSeeds(infoHash);
        metainfo.ifPresent(m -> m.webSeeds().forEach(webSeeds::add));
        magnet.ifPresent(m -> m.webSeeds().forEach(webSeeds::add));
        if (info != null) {
            metadataLatch.countDown();
        }
        extensions.register(UT_METADATA_ID, new MetadataExchange(this, random, this::now));
        PexExtension pex = new PexExtension(infoHash, this::publicSwarm, this::pexPeers,
                client.ownAddresses(), client.clock());
        extensions.register(UT_PEX_ID, pex);
        sources.add(announcer);
        sources.add(pex);
        PeerSource dhtSource = client.dhtSource(infoHash, this::publicSwarm,
                () -> state() == TorrentState.SEEDING);
        if (dhtSource != null) {
            sources.add(dhtSource);
        }
    }

    Path dataDirectory() {
        return dataDir;
    }

    /** Not known to be private (BEP 27): PEX and the DHT may find and tell of its peers. */
    boolean publicSwarm() {
        TorrentInfo i = info;
        return i == null || !i.isPrivate();
    }

    void start() {
        if (info != null) {
            Thread.ofVirtual().name("check-" + infoHash.shortHex()).start(this::initialise);
        } else {
            log.info("{} fetching metadata from peers", infoHash);
        }
        scheduler = Thread.ofVirtual().name("scheduler-" + infoHash.shortHex()).start(this::schedulerLoop);
        PeerSource.Sink sink = this::offerPeers;
        sources.forEach(s -> s.start(sink));
    }

    long now() {
        return client.clock().millis();
    }

    /** Candidates from any {@link PeerSource}, on any thread. */
    private synchronized void offerPeers(Collection<InetSocketAddress> found, String source) {
        if (closed) {
            return;
        }
        int added = peerList.offer(found, source);
        if (added > 0) {
            log.debug("{} {} new peers from {}", infoHash, added, source);
        }
        connectMore();
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

    /** This session's counts for {@link TorrentClient#stats()}: bytes in and out, failed pieces, banned peers. */
    synchronized EngineStats.Totals totals() {
        return new EngineStats.Totals(downloaded, uploaded, hashFailures, banned.size());
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
                    p.peerChoking, p.amChoking, p.snubbed, p.outgoing ? peerList.source(p.address) : "incoming"));
        }
        for (WebSeedPeer w : webSeeds.all()) {
            double progress = info == null || w.seed ? 1 : (double) w.has.cardinality() / info.pieceCount();
            out.add(new PeerInfo(w.address(), "web seed " + w.key, true, progress, w.down.rate(now), 0, w.peerChoking, true,
                    w.snubbed, "web seed"));
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
                    priorities().ofFile(f)));
            real++;
        }
        return out;
    }

    /** Once the metadata is known: every file at the default priority, or only those a magnet's {@code so} selects. */
    private FilePriorities priorities() {
        if (priorities == null) {
            priorities = new FilePriorities(info, magnet.map(Magnet::selectOnly).orElse(List.of()));
        }
        return priorities;
    }

    @Override
    public synchronized void setFilePriority(int fileIndex, int priority) {
        if (info == null) {
            throw new IllegalStateException("metadata not known yet");
        }
        int f = priorities().fileIndex(fileIndex); // also before the files were checked: the check keeps what was set
        if (priority < 0 || priority > PiecePicker.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is not in 0.." + PiecePicker.MAX_PRIORITY);
        }
        priorities.set(f, priority);
        applyFilePriorities();
        sources().forEach(this::updateInterest);
        sources().forEach(this::fillRequests);
    }

    private void applyFilePriorities() {
        if (picker == null) {
            return;
        }
        int[] prio = priorities().pieces();
        for (int p = 0; p < prio.length; p++) {
            picker.setPriority(p, prio[p]);
        }
        if (ready && picker.isComplete()) {
            onComplete();
        } else if (ready && state == TorrentState.SEEDING) {
            // A skipped file was selected again (by a reader, say): back to downloading.
            state = TorrentState.DOWNLOADING;
            completed = new CountDownLatch(1);
            announcer.downloadingAgain();
            resumeDirty = true;
            peerList.retryAll();
            log.info("{} downloading again: a file was selected", infoHash);
        }
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
        int f = priorities().fileIndex(fileIndex);
        TorrentFile tf = info.files().get(f);
        SessionStream s = new SessionStream(this, fileIndex, tf.offset(), tf.length());
        streams.add(s);
        wishes.readerOpened();
        if (priorities.raiseForReader(f) && picker != null) {
            applyFilePriorities();
            peers.forEach(this::updateInterest);
        }
        updateWishes();
        return s;
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
        if (streams.isEmpty()) {
            wishes.lastReaderClosed(reader(s), now());
        }
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
        long blockedSince = 0;
        synchronized (this) {
            try {
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
                            if (blockedSince != 0) {
                                log.debug("{} reader at piece {} waited {} ms", infoHash, at / info.pieceLength(),
                                        (System.nanoTime() - blockedSince) / 1_000_000);
                            }
                            return n;
                        }
                        if (s.blocked == 0) {
                            // A reader waits now: its piece goes before every readahead (ReaderWishes.BLOCKED).
                            s.blocked = ++blockedReads;
                            if (blockedSince == 0) {
                                blockedSince = System.nanoTime();
                                log.debug("{} reader blocked at piece {}", infoHash, at / info.pieceLength());
                            }
                            updateWishes();
                        }
                    }
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        throw new org.hypertube.torrent.StreamTimeoutException("no verified data at offset "
                                + (at - s.fileOffset) + " of file " + s.fileIndex() + " of " + infoHash + " within "
                                + Duration.ofNanos(timeoutNanos));
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for piece data");
                    }
                }
            } finally {
                if (s.blocked != 0) {
                    // Its piece was verified (its deadline went with it), or the read gave up: recompute then.
                    s.blocked = 0;
                    if (s.open && picker != null && !picker.have((int) (at / info.pieceLength()))) {
                        updateWishes();
                    }
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

    /** The readers' deadlines set in the picker, then sources asked at once. */
    private void updateWishes() {
        if (picker == null) {
            return;
        }
        List<ReaderWishes.Reader> readers = new ArrayList<>();
        if (state != TorrentState.SEEDING) {
            for (SessionStream s : streams) {
                readers.add(reader(s));
            }
            readers = wishes.effective(readers, now());
        }
        wishes.apply(readers, picker, info.pieceLength());
        if (downloadingNow()) {
            requester.rebalance(sources(), now());
        }
    }

    private static ReaderWishes.Reader reader(SessionStream s) {
        return new ReaderWishes.Reader(s.fileOffset, s.length, s.wishPosition, s.window, s.blocked);
    }

    private boolean downloadingNow() {
        return ready && !closed && !paused && state == TorrentState.DOWNLOADING;
    }

    // ---------------------------------------------------------------- pause, close

    @Override
    public void pause() {
        List<PeerConnection> toClose;
        synchronized (this) {
            if (paused || closed) {
                return;
            }
            paused = true;
            toClose = new ArrayList<>(peers);
            webSeeds.all().forEach(webSeedHost::rest);
            log.info("{} paused", infoHash);
        }
        toClose.forEach(PeerConnection::close);
        announcer.wake();
    }

    @Override
    public void resume() {
        synchronized (this) {
            if (!paused || closed) {
                return;
            }
            paused = false;
            peerList.retryAll(); // every peer we knew is worth a try again at once
            // Web seeds wake at the next tick once their back-off allows.
            log.info("{} resumed", infoHash);
        }
        announcer.wake();
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public synchronized void connect(InetSocketAddress peer) {
        peerList.connectNow(peer);
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
            if (assembly != null) {
                assembly.clearAll();
            }
        }
        dropSpareBuffers();
        toClose.forEach(PeerConnection::close);
        synchronized (this) {
            webSeeds.closeAll();
        }
        if (scheduler != null) {
            scheduler.interrupt();
            try {
                // Its periodic resume save must not run after ours (or after the files were deleted).
                scheduler.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sources.forEach(PeerSource::stop);
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
        log.info("{} closed: downloaded {} bytes ({} of them received twice), uploaded {} bytes, {} piece buffers allocated", infoHash,
                downloaded, receivedTwice, uploaded, assembly == null ? 0 : assembly.allocated());
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
                requester = new Requester(picker, ti.pieceLength(), infoHash, now());
                assembly = new PieceAssembly(infoHash, ti, s, this);
                for (SessionStream st : streams) {
                    // Readers opened before the check raise the files they read.
                    priorities().raiseForReader(priorities.fileIndex(st.fileIndex()));
                }
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
                webSeeds.start(this, ti, client.clock(), client.addressPolicy(), webSeedHost);
                updateWishes();
                announcer.checked();
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

    private void register(Peer p) {
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

    private void unregister(Peer p) {
        if (p.registered) {
            if (p.seed) {
                picker.seedLeft();
            } else {
                picker.peerLost(p.has);
            }
            p.registered = false;
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
        requestable.add(p);
        if (p.outgoing) {
            peerList.connected(p.address);
        }
        if (p.extensions) {
            p.send(new PeerMessage.Extended(0, new ExtensionHandshake(extensions.ourIds(),
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
        OptionalInt dhtPort = client.dhtPort();
        if (p.dht && dhtPort.isPresent() && publicSwarm()) {
            // BEP 5: where our DHT node listens; after the bitfield, which strict peers want first.
            p.send(new PeerMessage.Port(dhtPort.getAsInt()));
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
        requestable.remove(p);
        if (picker != null) {
            for (Block b : p.outstanding) {
                picker.abort(b);
            }
            unregister(p);
        }
        p.outstanding.clear();
        extensions.onClosed(p);
        if (p.outgoing && !banned.contains(p.key)) {
            // Closed by pause(), or dropped as a fellow seed before a file was selected: no fault of the peer's.
            peerList.disconnected(p.address, paused || (p.droppedAsSeed && state == TorrentState.DOWNLOADING), now());
        }
        log.debug("{} peer {} disconnected: {}", infoHash, p, reason);
        // Its blocks are free again: give them to the others.
        if (picker != null && !closed) {
            sources().forEach(this::fillRequests);
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
        int room = client.maxConnectionsPerTorrent() - peers.size() - peerList.connectingCount();
        if (room <= 0) {
            return;
        }
        for (InetSocketAddress a : peerList.toDial(room, now(), state == TorrentState.SEEDING,
                a -> peers.stream().anyMatch(p -> p.address.equals(a)), client::isOwnAddress)) {
            client.dial(this, a);
        }
    }

    /** The dial was given up for want of memory on our side: tried again later, not counted against the peer. */
    synchronized void dialPostponed(InetSocketAddress a) {
        peerList.dialPostponed(a, now());
    }

    synchronized void dialFailed(InetSocketAddress a, String reason) {
        peerList.dialFailed(a, now());
        log.debug("{} cannot connect to {}: {}", infoHash, a, reason);
    }

    synchronized void dialDone(InetSocketAddress a) {
        peerList.dialDone(a);
    }

    synchronized void connectedToSelf(InetSocketAddress a) {
        peerList.connectedToSelf(a);
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
            case PeerMessage.Interested i -> uploadSlots.onInterested(p, true, peers, now(), ourPieces());
            case PeerMessage.NotInterested n -> uploadSlots.onInterested(p, false, peers, now(), ourPieces());
            case PeerMessage.Have(int piece) -> onHave(p, piece);
            case PeerMessage.Bitfield(byte[] bits) -> onBitfield(p, bits);
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
            case PeerMessage.Piece(int piece, int begin, byte[] data) -> onBlockLocked(p, piece, begin, ByteBuffer.wrap(data), 0, data.length);
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
            case PeerMessage.Port(int port) -> {
                if (publicSwarm()) {
                    client.peerDhtPort(new InetSocketAddress(p.address.getAddress(), port));
                }
            }
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
        if (!p.fast && requester != null) {
            // Without BEP 6 a choke drops every pending request; a late answer is still welcome.
            requester.giveBack(p);
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
        if (picker != null) {
            unregister(p);
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

    // ---------------------------------------------------------------- blocks and pieces

    /**
     * A block from a reader thread that holds the session lock (a batch of blocks from one read);
     * {@code data} is the reader's buffer, valid only during the call. Returns the piece whose
     * hashable prefix grew, for the caller to hash after leaving the lock ({@link PieceBuffer#hashReady}).
     */
    PieceBuffer onBlockHeld(Peer p, int piece, int begin, ByteBuffer data, int offset, int len) throws PeerProtocolException {
        PieceAssembly a = assembly;
        if (a != null && a.hasResults()) {
            drainChecked();
        }
        if (p.isClosed() || closed) {
            return null;
        }
        return onBlockLocked(p, piece, begin, data, offset, len);
    }

    private PieceBuffer onBlockLocked(Peer p, int piece, int begin, ByteBuffer data, int offset, int dataLength)
            throws PeerProtocolException {
        if (!ready) {
            throw new PeerProtocolException("piece data before we asked for anything");
        }
        Block b = new Block(piece, begin, dataLength);
        long now = now();
        p.urgentDue.remove(b);
        boolean asked = p.outstanding.remove(b);
        if (!asked && !p.takeAborted(b)) {
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
        p.answered(now);
        p.snubbed = false;
        if (log.isTraceEnabled()) {
            log.trace("{} block {}/{} from {} ({} outstanding)", infoHash, piece, begin / Block.SIZE, p, p.outstanding.size());
        }
        if (picker.isReceived(b) || !picker.wanted(b.piece()) || !picker.inProgress(b.piece())) {
            if (picker.isReceived(b)) {
                receivedTwice += len;
            }
            fillRequests(p);
            return null;
        }
        PieceBuffer pb = assembly.bufferFor(b.piece(), client::dropSpareBuffers);
        if (pb == null) {
            // No direct memory even after every torrent's idle buffers were let go: the block goes
            // back to the picker, so nothing counts as requested that never will be, and the torrent
            // stops with a reason; verified pieces stay on disk.
            if (asked) {
                picker.abort(b);
            }
            fail("no memory left for piece buffers; raise -XX:MaxDirectMemorySize");
            return null;
        }
        pb.data.put(b.begin(), data, offset, len);
        boolean grew = pb.arrived(b.index());
        pb.senders[b.index()] = p.key;
        // Another peer may be asked for it too: in endgame and for late streaming blocks (counted by
        // the picker), and after this peer's request was given up and the block handed to another.
        if (!asked || picker.requestCount(b) > 1) {
            SecondRequests.cancelElsewhere(p, b, sources());
        }
        boolean complete = picker.received(b);
        if (complete) {
            assembly.clear(b.piece());
            client.verify(this, b.piece(), pb, pb.senders);
        }
        fillRequests(p);
        return grew && !complete ? pb : null; // a complete piece is finished by the hashing pool
    }

    /** Lets the pooled piece buffers (direct memory) be collected. */
    void dropSpareBuffers() {
        PieceAssembly a = assembly;
        if (a != null) {
            a.dropSpare();
        }
    }

    /** On the hash pool. */
    void verifyAndWrite(int piece, PieceBuffer pb, String[] who) {
        assembly.verifyAndWrite(piece, pb, who);
    }

    @Override
    public void writeFailed(String message) {
        fail("cannot write to " + dataDir + ": " + message);
    }

    @Override
    public void resultQueued() {
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
        if (assembly == null) {
            return;
        }
        PieceAssembly.Checked c;
        boolean verified = false;
        while ((c = assembly.nextResult()) != null) {
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
                pieceChecked(c.piece(), c.ok(), c.data(), c.who());
                verified |= c.ok();
            } finally {
                if (c.data() != null) {
                    assembly.giveBack(c.data());
                }
            }
        }
        if (verified && state == TorrentState.DOWNLOADING) {
            // A verified piece frees a place among the pieces in progress. When hashing fell behind,
            // that bound stopped every peer's requests, and with nothing outstanding no block would
            // arrive to ask again: without this the swarm idled until the next tick (up to 500 ms).
            for (Peer p : sources()) {
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

    private void pieceChecked(int piece, boolean ok, ByteBuffer data, String[] who) {
        if (!ok) {
            pieceFailed(piece, data, who);
            return;
        }
        countVerified(piece);
        assembly.goodDataCompared(piece);
        webSeeds.piecePassed(piece, who, info);
        for (String culprit : smartBan.piecePassed(piece, data)) {
            WebSeedPeer w = webSeeds.find(culprit);
            if (w != null) {
                webSeeds.sentBadData(w, piece, info, webSeedHost); // a file changed on the server, most likely: not a ban
            } else {
                ban(culprit, "sent corrupt data in piece " + piece);
            }
        }
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
    }

    private void pieceFailed(int piece, ByteBuffer data, String[] who) {
        hashFailures++;
        picker.pieceFailed(piece);
        assembly.keepGoodData(piece);
        SmartBan.Span[] spans = new SmartBan.Span[who.length];
        Set<String> senders = new java.util.LinkedHashSet<>();
        for (int i = 0; i < who.length; i++) {
            Block b = picker.block(piece, i);
            spans[i] = new SmartBan.Span(b.begin(), b.length());
            if (who[i] != null) {
                senders.add(who[i]);
            }
        }
        log.warn("{} piece {} failed its hash check (from {})", infoHash, piece, senders);
        // The smart ban records every sender's blocks, web seeds' too (compared once the piece passes);
        // a web seed that sent a failed piece alone is judged by its health (a file changed on the
        // server), not banned.
        for (String culprit : smartBan.pieceFailed(piece, data, who, spans)) {
            if (webSeeds.find(culprit) == null) {
                ban(culprit, "sent a piece that failed its hash check");
            }
        }
        if (senders.size() == 1 && webSeeds.find(senders.iterator().next()) instanceof WebSeedPeer w) {
            webSeeds.sentBadData(w, piece, info, webSeedHost);
        }
        sources().forEach(this::fillRequests);
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
                    peerList.ban(p.address);
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
                p.sendCancel(b);
            }
            p.outstanding.clear();
            p.urgentDue.clear();
            updateInterest(p);
            if (p.seed || (p.registered && p.has.cardinality() == info.pieceCount())) {
                dropPeer(p, BOTH_SEEDS);
            }
        }
        for (WebSeedPeer w : webSeeds.all()) {
            w.clearQueue();
            w.outstanding.clear();
            w.urgentDue.clear();
            updateInterest(w);
        }
        updateWishes(); // nothing left to wish for
        announcer.wake();
    }

    // ---------------------------------------------------------------- requesting

    /** Everything that is asked for blocks. */
    private List<Peer> sources() {
        return requestable;
    }

    private void updateInterest(Peer p) {
        if (!ready || p.isClosed()) {
            return;
        }
        boolean want = state != TorrentState.SEEDING && picker.interesting(p.has, p.seed);
        if (want != p.amInterested) {
            p.amInterested = want;
            p.interestChanged();
        }
    }

    private void fillRequests(Peer p) {
        if (ready && state == TorrentState.DOWNLOADING && !paused) {
            requester.fill(p, false, sources(), now());
        }
    }

    // ---------------------------------------------------------------- web seeds

    /** A worker fetched {@code span} (consecutive blocks) into {@code data}: the blocks go the way a peer's go. */
    void webSeedDelivered(WebSeedPeer w, List<Block> span, ByteBuffer data) {
        PieceBuffer[] grew = new PieceBuffer[span.size()];
        int count = 0;
        synchronized (this) {
            if (w.isClosed() || closed) {
                return;
            }
            int offset = 0;
            for (Block b : span) {
                PieceBuffer pb;
                try {
                    pb = onBlockHeld(w, b.piece(), b.begin(), data, offset, b.length());
                } catch (PeerProtocolException e) {
                    webSeeds.drop(w, e.getMessage(), webSeedHost);
                    return;
                }
                if (pb != null && (count == 0 || grew[count - 1] != pb)) {
                    grew[count++] = pb;
                }
                offset += b.length();
            }
            webSeeds.fetched(w, w.down.rate(now()));
        }
        for (int k = 0; k < count; k++) {
            grew[k].hashReady();
        }
    }

    /** A fetch failed: its requests go back to the picker; the seed rests, loses a file, or is dropped. */
    synchronized void webSeedFailed(WebSeedPeer w, WebSeedException e) {
        if (!w.isClosed() && !closed) {
            webSeeds.failed(w, e, info, webSeedHost);
            sources().forEach(this::fillRequests);
        }
    }

    /** Carries out what {@link WebSeeds} decides; under the session's lock. */
    private final class WebSeedHost implements WebSeeds.Host {
        @Override
        public void joined(Peer p) {
            register(p);
            requestable.add(p);
            updateInterest(p);
            fillRequests(p);
        }

        @Override
        public void rest(Peer p) {
            if (requester != null) {
                requester.giveBack(p);
            }
            ((WebSeedPeer) p).clearQueue();
            p.urgentDue.clear();
            p.peerChoking = true;
        }

        @Override
        public void left(Peer p) {
            unregister(p);
            requestable.remove(p);
            sources().forEach(TorrentSession.this::fillRequests);
        }

        @Override
        public void availabilityChanged(Peer p, BitSet has) {
            unregister(p);
            p.seed = false;
            p.has = has;
            for (Block b : new ArrayList<>(p.outstanding)) {
                if (!has.get(b.piece())) {
                    p.outstanding.remove(b);
                    picker.abort(b);
                    p.rememberAborted(b);
                }
            }
            register(p);
            updateInterest(p);
        }
    }

    // ---------------------------------------------------------------- extensions

    private void onExtended(PeerConnection p, int id, byte[] payload) throws PeerProtocolException {
        if (id != 0) {
            extensions.onMessage(p, id, payload);
            return;
        }
        ExtensionHandshake h = ExtensionHandshake.decode(payload);
        p.theirExtensions.clear();
        p.theirExtensions.putAll(h.extensions());
        h.requestQueue().ifPresent(q -> p.peerRequestQueue = q);
        h.client().ifPresent(c -> p.client = c.length() > 64 ? c.substring(0, 64) : c);
        if (h.listenPort().isPresent() && !p.outgoing) {
            // Remember where the peer listens so we can reach it again later (and tell others by PEX).
            p.listenPort = h.listenPort().getAsInt();
            peerList.rememberListenAddress(p.listenAddress());
        }
        extensions.onHandshake(p, h);
    }

    /** For PEX: our handshaken peers where they listen, seeds and those we reached marked. */
    private List<PexPeer> pexPeers() {
        List<PexPeer> out = new ArrayList<>(peers.size());
        for (PeerConnection p : peers) {
            InetSocketAddress a = p.listenAddress();
            if (a != null && !p.isClosed()) {
                out.add(new PexPeer(a, (p.seed ? PexPeer.SEED : 0) | (p.outgoing ? PexPeer.REACHABLE : 0)));
            }
        }
        return out;
    }

    @Override
    public synchronized TorrentInfo knownInfo() {
        return info;
    }

    @Override
    public void metadataReceived(byte[] raw) {
        try {
            info = TorrentInfo.parse(raw);
        } catch (MetainfoException e) {
            fail("metadata is invalid: " + e.getMessage());
            return;
        }
        log.info("{} metadata received: '{}', {} bytes in {} pieces", infoHash, info.name(), info.totalLength(), info.pieceCount());
        client.emit(new TorrentEvent.MetadataReceived(infoHash, info.name()));
        metadataLatch.countDown();
        Thread.ofVirtual().name("check-" + infoHash.shortHex()).start(this::initialise);
    }

    // ---------------------------------------------------------------- choking

    /** Our pieces for the upload slots; null before the check. */
    private UploadSlots.Pieces ourPieces() {
        return ready ? new UploadSlots.Pieces(info.pieceCount(), picker::have) : null;
    }

    private void grantAllowedFast(PeerConnection p) {
        uploadSlots.grantAllowedFast(p, ourPieces());
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
        Duration idle = client.idleTimeout();
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (p.idleNanos() > idle.toNanos()) {
                p.closeIdle(idle);
            }
        }
        connectMore();
        extensions.tick(now);
        if (info == null || !ready) {
            return;
        }
        for (PeerConnection p : new ArrayList<>(peers)) {
            if (now - p.lastSentAt > 90_000) {
                p.send(new PeerMessage.KeepAlive());
                p.lastSentAt = now;
            }
        }
        for (Peer p : new ArrayList<>(sources())) {
            if (requester.snubIfSilent(p, now, client.requestTimeout().toMillis())) {
                log.debug("{} peer {} snubbed us", infoHash, p);
            }
        }
        uploadSlots.rechokeIfDue(peers, state == TorrentState.SEEDING, now, ourPieces());
        webSeeds.wake(paused);
        for (Peer p : new ArrayList<>(sources())) {
            updateInterest(p);
        }
        if (wishes.lingerEnded(now)) {
            updateWishes();
        }
        if (picker.hasDeadlines() && state == TorrentState.DOWNLOADING) {
            requester.reRequestLate(sources(), now);
            requester.rebalance(sources(), now);
        } else {
            for (Peer p : new ArrayList<>(sources())) {
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

    @Override
    public AnnounceRequest request(AnnounceRequest.Event e) {
        synchronized (this) {
            long left = picker != null ? picker.bytesLeft() : info != null ? info.totalLength() : 1;
            return new AnnounceRequest(infoHash, client.peerId(), client.port(), uploaded, downloaded, left, e, 50,
                    client.announceKey());
        }
    }

    @Override
    public synchronized boolean readyOrFetching() {
        return info == null || ready;
    }

    @Override
    public synchronized boolean seeding() {
        return state == TorrentState.SEEDING;
    }
}
