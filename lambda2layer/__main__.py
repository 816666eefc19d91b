from lambda2layer.cli import main

main()
