#!/usr/bin/env python
from clusterhub.cli import main

if __name__ == "__main__":
    main()
