package org.hypertube.torrent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives each file of a multi-file torrent a path that no other file or folder of it has, as
 * libtorrent does ({@code resolve_duplicate_filenames}): paths compare ignoring ASCII case, so the
 * files stay apart on case-insensitive file systems too; a file whose path is a folder's or an
 * earlier file's gets ".1", ".2"... before its extension; pad files of one size may share a path.
 */
final class FileNames {
    private record Entry(List<String> path, long length, boolean pad, boolean rooted) {}

    private final List<Entry> entries = new ArrayList<>();

    /** {@code rooted}: inside the torrent's folder (all but a pad file without a path). */
    void add(List<String> path, long length, boolean pad, boolean rooted) {
        entries.add(new Entry(List.copyOf(path), length, pad, rooted));
    }

    /** Each file's path, in the order added, renamed where it collides. */
    List<List<String>> resolveDuplicates() {
        Set<String> folders = new HashSet<>();
        for (Entry e : entries) {
            StringBuilder folder = new StringBuilder();
            for (int c = 0; c < e.path.size() - 1; c++) {
                folder.append(c > 0 ? "/" : "").append(lower(e.path.get(c)));
                folders.add(folder.toString());
            }
        }
        Map<String, Integer> taken = new HashMap<>();
        // The last suffix tried per name: names are only ever added, so the next try starts after it
        // (a thousand copies of one name cost a thousand look-ups, not half a million).
        Map<String, Integer> lastSuffix = new HashMap<>();
        List<List<String>> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String key = lower(String.join("/", e.path));
            Integer holder = taken.get(key);
            if (!e.rooted || holder == null && !folders.contains(key)) {
                if (e.rooted) {
                    taken.put(key, i);
                }
                out.add(e.path);
                continue;
            }
            if (holder != null && e.pad && entries.get(holder).pad && entries.get(holder).length == e.length) {
                out.add(e.path);
                continue;
            }
            String leaf = e.path.getLast();
            int dot = leaf.lastIndexOf('.');
            String stem = dot >= 0 ? leaf.substring(0, dot) : leaf;
            String extension = dot >= 0 ? leaf.substring(dot) : "";
            String folder = key.substring(0, key.length() - leaf.length());
            String series = folder + lower(stem) + '\0' + lower(extension);
            int n = lastSuffix.getOrDefault(series, 0);
            String renamed;
            String renamedKey;
            do {
                n++;
                renamed = stem + "." + n + extension;
                renamedKey = folder + lower(renamed);
            } while (taken.containsKey(renamedKey) || folders.contains(renamedKey));
            lastSuffix.put(series, n);
            taken.put(renamedKey, i);
            List<String> path = new ArrayList<>(e.path);
            path.set(path.size() - 1, renamed);
            out.add(List.copyOf(path));
        }
        return out;
    }

    /** libtorrent folds ASCII letters only. */
    private static String lower(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, (char) (c + 32));
            }
        }
        return b == null ? s : b.toString();
    }
}
