package io.bpfmapd.export;

import java.time.Instant;

/**
 * A metric view as the API shows it: its declaration and how its last scrape went.
 *
 * @param name       the view's name
 * @param view       the declaration, defaults filled in
 * @param up         the last scrape exposed the view (true before the first, unless it waits for its map)
 * @param errors     scrapes that failed for this view since it was declared
 * @param error      why the last scrape failed, or null
 * @param lastScrape when the view was last scraped, or null
 * @param series     series the last scrape exposed
 */
record ExportResource(String name, ViewSpec view, boolean up, long errors, String error, Instant lastScrape,
                      long series) {
}
