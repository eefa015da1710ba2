"""Building blocks of the Reports page: the period picker and the preview (QtCharts charts
and the report's text and tables). The files themselves are drawn by `viva_desktop.rendering`,
which the command line shares."""
