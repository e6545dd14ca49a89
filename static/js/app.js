// Site-wide behaviour. Page-specific scripts live next to this file and are loaded by their pages.
