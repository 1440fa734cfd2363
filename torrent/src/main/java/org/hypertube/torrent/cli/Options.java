package org.hypertube.torrent.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hypertube.torrent.DhtRouters;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;

/** A verb's arguments: options with values (repeatable), flags and positional arguments. */
record Options(Map<String, List<String>> options, Set<String> flags, List<String> positional) {

    static Options parse(List<String> args, Set<String> valued, Set<String> flagNames) throws UsageException {
        Map<String, List<String>> options = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-") && !a.equals("-") && !Magnet.looksLikeMagnet(a)) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option " + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else if (flagNames.contains(name) && value == null) {
                    flags.add(name);
                } else {
                    throw new UsageException("unknown option " + a);
                }
            } else {
                positional.add(a);
            }
        }
        return new Options(options, flags, positional);
    }

    String one(String name, String dflt) {
        List<String> v = options.getOrDefault(name, List.of());
        return v.isEmpty() ? dflt : v.getLast();
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    int integer(String name, int dflt, int min, int max) throws UsageException {
        String v = one(name, null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + v + "'");
        }
    }

    String single(String what) throws UsageException {
        if (positional.size() != 1) {
            throw new UsageException(positional.isEmpty() ? "missing " + what : "expected one " + what + ", got " + positional.size() + " arguments");
        }
        return positional.getFirst();
    }

    /** {@code --bind}, all addresses by default. */
    InetAddress bind() throws UsageException {
        try {
            return InetAddress.getByName(one("--bind", "0.0.0.0"));
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown address " + one("--bind", ""));
        }
    }

    /**
     * A client on {@code --bind} and {@code --port} (6881) saving into {@code dir}, which is created;
     * with {@code dht}, its DHT too, on {@code --dht-port} (the same as {@code --port} unless given).
     */
    TorrentClient client(Path dir, boolean dht) throws UsageException, IOException {
        InetAddress bind = bind();
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new UsageException("download folder is not writable: " + dir);
        }
        int port = integer("--port", 6881, 0, 65535);
        TorrentClient.Builder b = TorrentClient.builder().downloadDirectory(dir).bindAddress(bind).port(port)
                .allowLocalWebSeeds(flags().contains("--allow-local-web-seeds"));
        if (dht) {
            b.dht(integer("--dht-port", port, 0, 65535), dhtBootstrap());
        }
        return b.build();
    }

    /**
     * {@code --dht-bootstrap HOST:PORT}, repeatable, else {@link DhtRouters#PUBLIC}. Names stay
     * unresolved: the node looks them up when it bootstraps, and one that does not resolve is logged there.
     */
    List<InetSocketAddress> dhtBootstrap() throws UsageException {
        List<String> given = all("--dht-bootstrap");
        if (given.isEmpty()) {
            return DhtRouters.PUBLIC;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hp : given) {
            try {
                out.add(DhtRouters.parse(hp));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--dht-bootstrap must be HOST:PORT, got '" + hp + "'");
            }
        }
        return out;
    }

    /** The .torrent file an argument names, read and parsed. */
    static Metainfo torrentFile(String file) throws UsageException {
        Path p = Path.of(file);
        try {
            if (!Files.isRegularFile(p)) {
                throw new UsageException("no such torrent file: " + file);
            }
            if (Files.size(p) > Metainfo.MAX_FILE_SIZE) {
                throw new UsageException("torrent file too large: " + file);
            }
            return Metainfo.parse(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        } catch (MetainfoException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }
}
