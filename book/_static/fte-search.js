/* Follow the Energy: better search results (loaded on search.html only, after Sphinx's searchtools.js).
 *
 * - Snippets come from the article's own text, not from the page header (the
 *   theme's download menu made many snippets read "....md").
 * - Opened from a folder (file://), browsers refuse to let a page read other
 *   files, so Sphinx cannot fetch pages for their snippets.  The search still
 *   lists the matching pages; a note explains how to get snippets too, and no
 *   request is made that would fail.
 */
(function () {
  "use strict";
  if (typeof Search === "undefined" || typeof DOCUMENTATION_OPTIONS === "undefined") return;

  Search.htmlToText = function (htmlString, anchor) {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".headerlink, script, style, .fte-chart-view").forEach((el) => el.remove());
    const article = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!article) return "";
    let part = null;
    try {
      part = anchor ? article.querySelector(anchor) : null;
    } catch (error) {
      part = null; // an anchor that is not a valid selector: use the whole article
    }
    return (part || article).textContent.replace(/\s+/g, " ").trim();
  };

  // Sphinx looks for the stemmed words ("energi"); look for the words typed too,
  // so the snippet shows the passage about them rather than the page's opening.
  const typed = (new URLSearchParams(window.location.search).get("q") || "")
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 2);
  const summary = Search.makeSearchSummary;
  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    return summary(htmlText, new Set([...keywords, ...typed]), anchor);
  };

  if (window.location.protocol === "file:") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
    const addNote = function () {
      const results = document.getElementById("search-results");
      if (!results || document.querySelector(".fte-search-note")) return;
      const note = document.createElement("p");
      note.className = "fte-search-note";
      note.textContent =
        "You opened this site from a folder, so search lists the matching pages without " +
        "snippets of their text (browsers do not let a page read other files). To see " +
        "snippets, serve the folder with a local server: run \"python -m http.server\" in " +
        "the site folder and open http://localhost:8000/search.html.";
      results.parentNode.insertBefore(note, results);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", addNote);
    } else {
      addNote();
    }
  }
})();
