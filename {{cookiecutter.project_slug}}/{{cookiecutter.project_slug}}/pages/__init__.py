"""The site's own pages: the layout every page extends, the home page and the error pages."""
