package org.hypertube.torrent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code lt_dht_swarm.py}: a private loopback DHT of libtorrent sessions, one seeding a given torrent from {@code tmp/seed}. */
public final class LibtorrentDht implements AutoCloseable {
    private final ExternalPeer process;
    private final String ports;

    private LibtorrentDht(ExternalPeer process, String ports) {
        this.process = process;
        this.ports = ports;
    }

    /** Starts the DHT and waits until some node has stored the seeder. */
    public static LibtorrentDht start(Path tmp, byte[] torrent) throws Exception {
        return start(tmp, torrent, List.of());
    }

    /**
     * With {@code --watch}, one libtorrent session looks the torrent up every 2 s (see {@link
     * #awaitPeer}); with {@code --fetch HEX} it downloads that torrent once the DHT names a peer for it.
     */
    public static LibtorrentDht start(Path tmp, byte[] torrent, List<String> options) throws Exception {
        ExternalPeer.require("python3-libtorrent (/usr/bin/python3 -c 'import libtorrent')", ExternalPeer.libtorrentPresent());
        Path script = ExternalPeer.script(tmp, "lt_dht_swarm.py");
        Path torrentFile = Files.write(tmp.resolve("dht-swarm.torrent"), torrent);
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", script.toString(),
                "--torrent", torrentFile.toString(), "--save", tmp.resolve("seed").toString(), "--max-seconds", "110"));
        command.addAll(options);
        ExternalPeer p = ExternalPeer.start("libtorrent DHT", tmp, command);
        try {
            return new LibtorrentDht(p, p.await("PORTS (.*)", Duration.ofSeconds(60)));
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /** The router session R, everyone's bootstrap node. */
    public InetSocketAddress router() {
        return endpoint("router");
    }

    /** The seeding session's address (DHT and BitTorrent share it). */
    public InetSocketAddress seeder() {
        return endpoint("seed");
    }

    private InetSocketAddress endpoint(String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([0-9.]+):(\\d+)\"").matcher(ports);
        assertThat(m.find()).as("%s in %s", name, ports).isTrue();
        return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
    }

    /** Waits until a libtorrent get_peers lookup for the torrent returns {@code peer}; the line. */
    public String awaitPeer(InetSocketAddress peer, Duration timeout) throws InterruptedException {
        return process.await("DHT_PEERS (.*\"" + Pattern.quote(peer.getHostString() + ":" + peer.getPort()) + "\".*)", timeout);
    }

    public String await(String regex, Duration timeout) throws InterruptedException {
        return process.await(regex, timeout);
    }

    public String tail() {
        return process.tail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
