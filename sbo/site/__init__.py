"""The site blueprint: pages that compose several domains (home, about) and the site-wide
files (sitemap.xml, robots.txt, favicon.ico). It sits above the domains and may import them;
no domain imports it."""
