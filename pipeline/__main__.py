from .cli import main, quick_exit

quick_exit(main())
