"""The outlet registry: each spider's ``Outlet`` entry (``entry``) and the registry read from
the spiders (``registry``), which drives ``scrapy list``, ``scrapy outlets``, the README table
and the per-outlet tests."""
