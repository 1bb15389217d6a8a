# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Where does a deformable layer look? Sampling points, and whether they grow with the digit
#
# The point of a deformable convolution is that its 3x3 sampling grid is not fixed: a small conv
# predicts a shift for every kernel point at every position, so the grid can stretch over a large object
# and shrink over a small one. DCNv2 adds a weight (modulation, in (0, 2)) for every sampled value.
# Does the scaled-MNIST classifier actually learn that? Two questions:
#
# 1. **Where does it sample?** The original notebook plotted the raw offsets at feature-map pixels, without
#    the kernel grid they shift, so it did not show where the layer reads. Here we take one unit of conv5's
#    output at the centre of the digit and follow its sampling through conv4 down to the input: conv5
#    reads conv4's output at 9 points and each of those is computed by conv4 from 9 points, so the unit
#    sees **81 points** of conv4's input, which we draw in input pixels over the digit.
# 2. **Does its receptive field grow with the digit?** We measure how far the 81 points spread, as the
#    test digits are zoomed from x0.5 to x1.5, averaged over the test digits, for DCNv2 and for the plain
#    CNN (whose grid is fixed by construction).
#
# The models are the seed-0, 32-channel plain and DCNv2 networks trained by `scaled_mnist.ipynb`
# (`results/mnist_seed0.pt`). `SMOKE_TEST=1` (what CI runs) or missing weights: a quickly trained pair
# instead, as the output says. `DATA_DIR` sets where MNIST lives (default `data`).

# %% cellView="form"
# @title Setup: use the repository's `dcn.py` and `mnist_lab.py`, or unpack the copies packed in this cell
# Packed by tests/notebook_pack.py; tests/test_notebooks.py checks they equal the repository's files.
PACKED = "eNq9fQ132zay9l/hZk9PyIRWLCfptsqq73UTp/W5+Tqxu7372j4yLdE2a4lUSSq26+v/fueZGYAASdnO3r1Nm0gigQEwGAzmC4ObR7NpPlhePxoFj/4avN/dD95l0zSv0sP8r/R/8LpYXpfZ2XkdhNMo2NrcGgaz9Es6L5ZpuXl+nQZhfZ4GBRXJ8mQe7GWL5Tzd+HS9X5TT84036WlRLpITevS6yL8U81WdFfnGl61gnlynZdTbwrcBQFYMKXjz+gOVnhZ5XWYnq7ooK+3Yp7RcZFVF4IKsCs7TMj25Ds7KJK/TWRyclin16jSYniflWRoHdREk+XVAna6oQnFSJ1me5WdBQqCX1yhZnxOYqjitL5MypcIzNJJUVTHNEgIZzIrpapHmdYIRBKfZPK1k7IeP9rTW4aOIW5qlhIks52GYd8FlVp8Xqzoo04qGMgWUGE1k+XS+mqEvpsQ8W2TaDCAwbirAXVU0EvQ3DhbFLDvFZ8rDW65O5ll1HgezrBJE0cMKD3kuuSEa0rOiDKp0PgeQjPrPw276GKMMGloCt7Vii5u+PC8W/ngIW6erMqdWU64zKwh73BC1+1s6rfEQNU6L+by4xABpFmcZxlWNgn16k5wUX1IekMx/XtTUX+kEZmPZTLG+qs4T6v1J2iCOGidMJ86YSnSgqokQMpqGZVFyi+2xDoL9n3eCvY9v93/d/rwT7O4Fnz5//Mfum503NKHbe/Tg8BGP5tfd/Z8//rIfULHP2x/2/xl8fBtsf/hn8J+7H97Ewc5/ffq8s7cXfPwc7L7/9G53h57tfnj97pc3ux9+Cn6keh8+0pLapYVFkPc/cqsKaneH6r1FG+93Pr/+mZ5s/7j7bnf/n3Hwdnf/A8C+Jbjbwaftz/u7r395t/05+PTL508f93aoB28I8ofdD28/U0M773c+7A+oYXoW7PyDfgR7P2+/e8etbf9CA/iMLvJq+/jpn593f/p5P/j547s3O/T8xx3q3/aP73akNRra63fbu+/j4M32++2fdnhsHwnQZy6mHdz+vLuHEb79/JFKAj+EFiDhgzTy4cPO6/3djx8YfT6qqRR+/7K300B+s7P9jsDtYQhu4cFhfvgI/zWMJHAYSUCsIWQOERGZlYGynRgkUeQpr1KAyLdpTVoAUwdAlYDLVEFGKyzLl7T6ElqAaVLmRFinZcLrlMmoEsqlUlWdJjNDT6fZVUqs4iK4Ci6I/WSzEfGUaiEEmX8JwuPj4vS0SusJfh4fR8GyTGe0/isqF85oCc+uIqLr7LTmIRBvLa+Di5Q6gFaznHvETw9z4g7ooumMrNeM0UCNplhfrbaJT6zmCbHNvuYvU152BCDcjAPB4WGeJtNzxcss+JLMV7RWfixqelYnJffmj7QsiL0QSwWfrc6D0XROnHJ03MwSJmlrdgwukV4RFufXVHg5J657mLv4xwAY3ZUwTtSnqaPil2DphGLMR3FJnIjRPS+qimcUu4ZwCUwyjYGqXxerksZXgPu8oikN8jSdVQLu+LgGaRwfAyv89UsGznLMfSyWMs8Rw9654tGP8D2gPz/88ENAuxFxkoBrNk9PS7BFPDMF8rz1lrZX866NnqYk74bBuFMiHH4bB8+3YiWISZX9kY6fE79PZtgyxsM4OMmSarxfrtKoAXdFoLhXA9oPZ3lIAABo6zv8jVrNhlfRgPjqMpXnUm+PGgoPtqRxqXfkVPyrnXrpuTPNmCWeaG+dYW+TbT1ZpEp4VQNPGiXCndIEp6HpV0zoHJyucl2Fg6kg5SqWZgcCx/wCJhzUUG0i/Pl4mG681K4DTe4ghMZmBTMApfn/F4S0KGlN0giEIyxpic8JMi9PLA5Z0LTai9Uybq1VomezSlGtheuBsiGMB3ifF1P+Xt0xAzTH35s5oL+YhsP8fXKBjZKwThs+9lZa6NQJh8uFPDZhJ8+vngtHIKZluFOe1hF39yz7kvLU6LBOiGZAz5if4jKX5YkmSpKDvDVBIIjQaIr20t9XKe+3If1S0iUypf4+92eEXn9O3/0Sylct+R2XHEYOgZUp0dCUGNCYO56W9aQuJs3wQnTfQS5hITR19PnB483HR00RLPEF4bS0a4OfDPZ+ehMqh14mZbKY8LRWaIAIqxxvDmgCtMC8nCxW8xrP3M4ecJWDw0fz8vDREdMJP+FtyDQ7cKFrvw4Y+OZgc7jp/9k6MhvfYc5cZDI5XdWrMp1MDDNJcpKJhHgwJ/pUPubZyYDW3Vwr19dLzJ8WeU2zDxTSBk/7QEzyfkX/fqB1OdtfLfH8o3LDONAHv+T022lFuaD7a+CtVBKcg7emdZc97pM4WpQxs8nDfDKhmQUXpmGNSe4aDggXGPNkQp3khweCKVcCUOYJ8cx7haadp0Isk2m7NC9zwsfELj7n5UlGr4jgJ8IMnDe9ZOi876EhfouZzHfz+lOSgfQYlQfEKhS58pX+OaKCP26//s+dD2/2qFx4+CghdYdAEGzBd/NVti5SNwhTP2/vTfY/kvz4D5LISOAat2hgcJrls0m1TKdhuzbYNhFR8IFkJYL07uOvE5JmXxs4oUzs6bxIamwf8vNEfzMbgrC38Sf8QTvb5RkrYKTTpdMLmsCRcjdWfqYBvcIPZsMktmQzYleiGNImiRlLWQVUdl2ucggSf1b3iWQCoo2sDFmiogVA621EIhWthQWpoovVYgQqiIKNH9qEMTIkhv+2sSvV0HJIngJJEUunB7Q98db0w9iAi7EGk6AGLNoM4uAyegV1F+w8SMuSIJBQl5aXWUUysvIatJPV6aICk0RN6S5RCrVSQfSlvSE1YwhrYQ/gvlEU0CZJLek7qacQT2kTyUMGHAV/GQdb6D8oj1Z56MKNBQfYlvDaf3VSFHOR87/w5szgFDn4UyY0lGD/epnuYHjh6eGjG6D5NlisKtrXeMO0yBPEQIq/LBSDZ9TkDXf8L+Utry7tPaHU9P7vdrraDf8DFde1TPNyoxVv1zVUpsThdVyyuIRqWNr/kk6okx3qYXqhFyPb1zbepAKjtSh73jBWvw6LgelSwDS6Fm38jDA2/DpcPQy+YoufO9hi5jA5SaYXaT4L9bNBFX02qNK3grI8MNz3nt6aWqa7UDSJjG5MdTO/Wq6FE1N7PG4zc0v1bZZ+V38eK7xxG5ioPs4zYgDnGTbiSsdLZDAnFe9V8LiB3/nzeEXttdog6ERJZn967M+HlnVmhNSEYk7k2zcnsYjYI5ULWlOkXEkbGrmjeUyjSJhEhJ9Dywte//JmOxYFhEQlY4QkNkm6B28VIu+DTw2MHPuRqn36xVaSwrAEogIJMiS90S5ympDSX0IbzVu9oPV0Nk836vMyTWCMmhfFsgrCKjXCfFrV1bOTlETqRVJeDJbXEaum1EQyr8RCxgoqyIi13Wq1xP5NjcpG++zE7sAfP3z4LxL5Vf5T/XGWfsmmqTfXwXmCWTZ7HVhm+P7THrRbB69tkvzL2E6qS3KtecUz6QJkSitL5/nVIKuIR03wdSIlwobuw46gIrYLmn3Um65mifNkRiJratalL5j4xGrWTNMj80T6RaAxoinN3yTNIbLNwijqDq+1fDyStmT/Z0s8P6XFIoVQgzEZsXWkJJMGbCBvTNK0UmfBiSjgrGzKUnCE8u1PuwxqOS/qP1v46UrdqnWNrE7g2DhGgUrMMdhBNmseEMUN47UMS1VNt/QmjOJzbtIDIpIWN+0LWCcVjBapY/KjRSm8M2mbEbv2Q8tYSFytHDozgw0/kA4fPAl+or8X5/jnMg5+nhQr2uh+xUcEc0bGVgRIcJ6xilTWauDpNcfHPi5oHaTTuhrxmnftFIGsDM9YcQFlgbsQPA1+i+EsyfEW/QvPmg7S24vIb+e8mNP2MrtWYz2t1fSqtgBmV4OmuDOtZjatTcCdGxosOg1gruUo1KLMlK8XWBAk7IORRxbXn3mhuugGmn+K+zEMU+dorZWHP4MptImUp54wlZ6RmhqLuciZUsfOQ92Mg9+jALtA5WM5zOLgN5Jp66bm8XG4pI4JMibnwQbwQZ9PeToIJfwdxuHfm2KXWownS4vh++wqOj528P3J0i11sKKa1NwBrYKfqf7wKLgK8ONX/nF8zB1mgy5tWkb5pd3olDczGj2m46QoZ2nZt3tckF5B9DFW3cab6sNHzk8or0OlIfipqqaSIQnSzPmbW3RJRZdNUUs1h4/0KwpvauEZ/F9NYUNZKG2+u7BpU5IFMphli5D1kheBXTVikDsghH0ThFvNWojukQ51zbFweJ58YZcVbWVm2auVQOwD9PtGwd52mIBBce8faohlTNHR3B5HHQl5spb1kgYnE0jNhTIr+CZIxzfBaBQ50tzX8vGWLtvw8/aL9aO1TL0Dq2EerVfrmPsIu+HouDuIY+Y9iZoYIJthYVyLrQEOZeOcNcYHLIxFkJwlWW7ZEHyaLHLuTctsWbviGoTHMoGYBrRUsuzYPEaaKPcTsiSTCvFBeVIZkV2EUxg5pJ3Es4TQwoX6ylJkFFwWq/mMwIsPRMfrbxlBnVyk4k5RRoU+cW8E/vGxGNaFoo6P2ddDMuuUFIaKnS49rOBhpESr82H7gQDN7aZEyDiXBXKJD4LjUr1yI0CX9aQcgcVII6OyGP18y134/L4jYoolwy1j8J7kZ4AHB1oocvfYFONfsTQ55n/NMiwuq8aaJjAYWU+eyI8IzPw8GnzJ0kt+MZT/I2Lufi3FgFux4t3D1JaaWswwumkx7+nAZasDlw0IvOvvwGVPB3hfuvQ6MNRZ0g7ALWpngdTO6YVCPSmLZMayuVJ8CGTF3OMItLAYbwwNYnwCwCbusTlu5GkwUQ57fWWZ3IXLv9qvHbblGOC6nMOT21rMmmM9PK3QCEK8cQKikUe6koh1AntGuK8jfEWBvmB0OQCCZ890C4u4B1s+xGiAOAuSeOEEHvLrF3HwMg6eO3hr2cVDT20nidXwUU+T70Hjj42IAbmqXBa03CGhMECSR0jkcN3uLFtZSTxmvgnuKxKLEXCytWK39hPof024J7xHjqjkdBslnmA+4jWSIfiy4FnUrPVbyT1iKfXjSSRaHBuvKg5XsBgg6mHuMejo/wHCboxjnqooP4thg5g6cilBJhXnu43hkKaNRBFEwlQVdX/KPiOW3Y2YWxCFZjlbypdlOiV5Zn7dw9xBTUQ1RDFQGVjPcciP5VywmJY782A42hiqq+uyKC8ma/mxq/WvYcdOEYH4V17ySpDBZYIuwDV8zVN3sAE+dPRKPM/JPDvLaf+jySur8dsEAAUDV4S9muX8cOuK+AcxvWciHSsaKtr1Um9seXqp/Co82BpsUnnil/Ll/MjsAM14rdSLEI91cIYCh9vFMhRo8nM9TI+x0g46XazmITfkLEnCc7YMwUfrInRAxDK0yPILQhiQZviqECeBfztwEC0rvwMKJTgqLR03TjRI27qxT/QVr1vrNVvzp2e2eoy+FTrhUEUzECLVJ0KTDgfzZKA2/2rvBSL/NL8RWjCyftEDeXxEuIHrrHcwfWaLrzFP9AJdJNXF+m6Af7nG1aCx561jx2/6o6K+bMVNxIYjFOeQLKvVvOZwuntNEw9hypMsV74cC0MDd+fJG/xrxhMbU0W7Wk9shmsS+clpwsx4+FrAoWO0BEVRi1XRjV7RoOWRxA01YjyYCDM9B6ZQjUJk9wvmySlwhzVE/VTGcddrBJH5gMGBl5UDWAiFhY61qAo0NoyNLBpEp12U30N3q7SE1TgBQjaYq5V95HHjp2ygHF4NmayijuM6dj0I9+2X0mm/70ydP6tAFP5MDYIuxIqyoRaUJ9BJwEIj+YfEIGtxeWr5u7vNyeuHWSZ0Qh5omtB5fbBxwrqJuv6TfhdXpK4Ura+FdEEyYVbC9AyzM0xOmNsdmljM1PQQD5a7xJ3QkIZBmIl2WPmdLOR/2+NGeGE2s05+mQppTSfEMiYmqstYtlxVeI2aqdacMTcDMnMgSQnf7DPu2JgaCV3K3yHxH2xsjVSmsls8yORBVp61KIuMTEWq12ohAjEYrWWEXeWFwGGRe5GizHRV7+iJjHNC4rQd6nmvajFAcCGNNszbRrPYYrn1mDnl3YKFi7O7WujRNZ1gAKItN3Jm5LNdGhE+7gI/7LTAspmiZOBKeDIpNF4ObYMFOg/ANc/KZCaBi+gGnL28V69yZer022CYEHqalimpCKR1YMZOVqf0IJinVdU00syH+fZER3pqntCQfl9lNK4Jt04cXAfqPmVZ3VQgcXQSOtzjr8FnGENYK6Yehr2UEkHTohHrwjul0ZCUHA5N75N6iiMHi6Qm8JiIlsdg0CawpvvNjDS0ZFeqKPY8K/TVtV9onLTlBQbQMHbgoNqzZ+sAR4P0aklLAOLpxtD8VfiyyNUksliErWb8/t7TTmyG68Eu3BUVG4bnUaCZIfBWDlxc1UYVHRFdwY5hPKkBdZIDqKwW6mmptNAZSFUn11WjpYotk+2Tpq0lSU5FrdGn4k3B7oJQcKMcNgGlumPIfNuuqOjv20EIDjYqHkklEo2Y9OjFU35urVWKCjZ3YREWVp3oBJX8GzdTiOMO72g0YOuJuMfNIJYJE4LyYuONZ+KQCBQxJ6uPwNn0Ii8gRZzs6oY3EviEV2J4T1yQ34nEyu8bwvFrVZ7YU+Eoak3z9+7M1D9dDL6PhreAb7y9mbbRe3Cmy7jjmrlT4hdJk9+Ngxu0e3uva2aWQaCBUnVyzYoBdR4U5rhs3J4786HUOLlT/gBHZjbwDXFQ3QtbmIgehIqRyNYyMPrShGB5I7BSy82a1vwAJ111ZnsUDzEPmheeDBkzGcpo7+srA+xMmvY4jjy0Oi00nTo3asJ5oyZgVR5sHomuwCsTv9ZqDHhJKoNuBwbeZQve0IM3FHiXvfCGDjxCmnTx78EQxH1pfjyEB5Cmv0z4pBs7cW5EYbwVsjVKyo1+uWX9EeH/NpiJDzDeR84iUOgmfROuQdlT0Pia4cOw1sxIR4JGgND9zlhqjp7ndzlpo76XpKls+kNEnEHHdXpAgrUQprcx/qse35v8dp3Pl17cnAv9Bjfcyu2/xeP7tWoGcxLmpF7NBw141GKKvayj3aEb74EfY9sSqx2+wWKmwzfyuIPTtjx9zxC4sfaM3TwE8K3Hb5yeyWD+3ACxfRPq9ec1yif9AufERdicHIk82+KvCGZM7jgbOMtmEqaUq3UfnmPIVvz0J89Whw25YRqNr8yle2OuJclydIfDLbbnO62psOXqEaBiQ7sXZBS7hjR7lvIVhlWJwta8F2N2S3t/cL8TE5q2xkMVrnIwej4Bhf+8uWrOFJJE/R49svNVauTbukOyX7YkMnVWIrYVMj911syrPf2j02qtecfH1wdYUCQFH7Gan1QHBba9arWY3ExpjLcqSBwUbLO/OFKdE9UuuNqT4OpADPrLTaq5nFzAtMizbQsdmRg4ie49PjZFxUTLR+jTM5qAUvwlfAauOaHIfOb4+OpgMBgcOVZdJxgqFK+F0afgcowGwUfuhljFHQqYFotUz4VeFtxC1djSebGSWnXmRXa652o1mMIBOOZNpMrOFkU2CzcjDl70jt/KGUxSw4m4aCg6Wj3xu94IP2k8zDQq+2tkvdfTYpXX1avgBKd/Pb7eWMHvC/RbY9GOVcm3dOPAsV4SDucx5fngVgqzs1pphxrxwpZkPvADA2oLLFvOdQLaRnLd7O7oiRjwmV3wojC6cRvHxEnS02Q1rwNe36YXXmYMSXjRcWqYLdciXXceQzI44XNpXPs0F5iGWVqxv9hOmTcNDemM+MArr1ZJo9F3IDyWPttSQ9pfC9FS+83/YrQPQo6Jr2obtMmsCCYDjoSJ4nWeglhMB0ku4fhxJ4CVg9/rgsOndHr9sw3hvZ6nJjR0DztK2/fUdj0xXbq/ST1Xe8RaD4RU6b5wxiP+CSzxXycaztsiNCn7GuYFdaJrWgGfbGivII60yjHfZ+lMggeq1QlPZop403TJiiYO0oA2vJQDylKs48yJLFnrLKPp69JKELbri8FTGnC51Lw4o+5EkTLX9mpRTdxYitqRpeZcw2kwoTnJ6skkrNL5aezyLOUOPuPiR31h5MQznz84lNzyHzmrycdUtMqR+HH7PbaWoYDT8QPhHzhhBTc6s4ae9p7EbV5gAbhrWcFgSa/18/aB1zg1cRFLIAG+t21Q7P9aER2E0cCi3bFCYwYGzgSwK8s9muZtKNBO7U8r5ls47rR1ALkvAcn93QVldQsfiJEaSW3Ss7idPrR0k1YnfJO9Pd/bAw0MEAtPDz3GslXSqpGH+otFw7CFlzhoYc0eHFZiut+h0fsnbGPNXyn/3pbuHlELby1a97Rr79jgNwZxo26/7jhEGMpJwduoXyG9cecGpfX3bdQlEIeRfGWEuwXxFQ5lW+erfcXGgtwc7bRmZxx77CLYmIX0fFVoRKu4EaSiB2H9sYHkH7CN+4/XWgnOl9hYnVZAfylvH0dr+8seZ4XBgrODYtgF2Ij/VR0fW3hyXtKKlmFrrzYmdX4/vpHPnt5yl5rYABMKYMvADTG6s8pDwglsNU9NwAbhKA7tsk5IQX8Egeudh7LdXgRi7us8NRF+LFIbvUZjpN20Ne2KZj8eO9PYJAtxsXIHZzLrYewtndhseuujstvbAKuCYycpicfG+sx4F07uHYREm7GvmSOVota38WD4bC1rJp49W5LCwWvXFbruaNXbFqTxsdn1uH3xaK0fH6mgJu9FWqdlFUauBNd5izp9socIf7aXj7H+Mhi2s0pT7qmeocmDXrE+ZxSjthYuAqgXUt2LmN7euxs7Yw9Msk0scd/s9jBbAdAbLmD+0KAx1gErqJOQ+yWjjB5WmIVog/X/WJZIzlhfN5MgwBrUe5GAjuO0ix6peQdoNN0AbocmPqQJQHApJr2qy2RSpsuygducCedZJHLGjt8WSWFN74iXt37yrJs2G7qNG67eMKJbl2poFj0mjb1mE9y4zcmDp9yxhovduPU4E0AXqt3v121hDVjL7W68mr1glY8Q0OFaeLrcb5wKvbBcT3ofMMBiXiHmzR4IPnO7s1NeUe1b223gNYCV1doN13WyY4l91CXQ4Kn0w2Q9uHF3T51DE8CwsQEmcZmUs+D/wNZuteD0ajnPphn4FFOSVYfbuRPkGJyJWm4nGOpwWxPE0ISUagPRyEpaz6yoBvtFvlqcEJd8BUmvmM0aeYzNbCdFXReLZ5LN8zQrq+ZchrIuy9ybiqtajLS87nFa6plEsLChNkfiBkQJ1kgqZY6jNq0Mgk9tEas+L6rUsfgFqyXssTnndfySmnih5uADtSOJhMrUHjmxtpZBG2fr2QKLp4qrFgGa1C6CbmEe9wAS9LTgCB7GwcGMnaviW8U2NYN/hLapP7Jl2BKF2gwvOursUQwW4t03kppHfrNbdatnvxIbGg4GUI9DZ1BuvTiwDwRwFN2JE1v02TNUtqDwM+qsUkO4Dto8u5FIuFxq7WJpcbNu7hxtRKu0p/T+eBhxjey7YTCQQAUurCxQQieTW0/1bMUCGR3teRy86O/CXYFBblCQWCy/NkLoK6OE/q8ihTzMaBzscw4HaAsBX4cjdv86tcddoaI5Rxcijmfj+X2uesdd/3AEr2UA2GYss4Sht9L02KxBSVprGRBt0HNkuw7SvFidnfetto6TJTCizJ3cTHQMf7G5QrJ0hl6xiMJ+ueQqqwxD8mZta3TkxMXdw6uA6Z9/7ZojaK9I2UZKVR1OaENqXMTCfGPjdIK/a90HWpWUa9xgOLcIYGCRMQi9wB82X9xGvcE1JnjmXopRqlEjvA7wRj6pwftk2HWiYaRhCZYzqihF+tIE1vsHihJtwb4rS6i3/s5zsqykwWVgT6b0eFX0jEwDn5MPiyOVPbM2jayQvZ9a1mipvDbo6TW8TZBcEGXA+sb9G3pLY+8XfF19xlELlbnHLY1clfB26fb5IxsGPE3q8MDRwHq1TX13FPkeyx4gGpXaAwJvPABANrZ2/wSGH97KNY3Fhn/YBc2/WqcKGm9nrIo5W6vq80FFcq3po2+J6OurW+JIjocPu6KBaQknMp+YQ+e+X8pdECq/r18HbV25OQ9+jwfxq12H/eYKT5Zxz/jgzyo38fBjT2wg7v28KXVl367y6vdVmv6RhsLym/rNIdvupOm5BulOm4FcOd25ip2NRYp3dBe3vARS+md+rpqg6nX2iHiNGSF2TcL3+DPWbUEYU6P8ubpfD6lhW7sLn8WqsZ1ooEzB5ySMmak5mSrBVOuo0Am46pCiBqJ4cUjgtDZcyBwNcg4M2WAUpA2TgCt7At1jvq2okfXHN9srIDYJnUbEj89Hx7rOfOjdE3/40woZQ4+P2ZUgSSJEqprdmePpgDNlv/J82n4jfvKrVw5ucMy+ibByD+abOCvfgSLXUHBIjt/E8XHv2SbnbHakGZj89Ol68rqdCYtpv7pj/7qfXaxnBG3m8e/hB5OH8ANEXsXBaIi/7lbkHm+743Rbj1+hx6HQWudOM0SwZz1HvibdfAadg14aX4uD/Ij2Q/zoWU/MqBve2hxGwZMOR3EDKwX6uDejiczBmONPzbH37igih9TGDdF59quTVTbnCeKYNZtPXuSt/7396j94LYMFFDNn06W2RFyazlWeGDXmIXgb5EaGiplfX/LvDhf0oheFtbFkeHwsUSe0fNVzEDtCojiImF1K1g2XO+3WlQkDssF13GlkXIM1akprV85PGzeEXI3hMGKOtODElnVz0UXThN54IfGCCIcaIHpHxo42ylTzNF1fFuVsw2QKrUZNkI+JxHMidvhei9jNN6dbGDF3DhquS73/CGkZbA4/wc/jygbmPJZwQud8n/aJ79rBtT/OUEKEIxZ/pBpWqae/+MkrTRF4aWJ6HW+N+liE7XK/MIORNxFIst9xY30nl1p4Fwz4VdrXYAzlngHk19hsFW1dQNGmt4FDsHDz8N0USgrdayb8qybWaBpsCWJgxjtkh3a/PYWR0TY0OeunsTVxC+tNTa7wzjk6JAuspul4gC2lC8B06zEDeQy6aGfNdJIW2Bw+DzGp2Cyb5tRPp3U327JzDl5XVKifMCvYGfXKm4tYiC2Ja81zlvboKfzI233WK0f9A/Q0Jq1hT3caydb1IFrvtiMRm/xj/U2I+9srjicun3U0UdanfWG1RQhyl0mPYD7AZV53eTANybXH1GOO6WmEj3c5Tajf8/5ueTzM65//qmdx3NPTdb3sa7H7otN5ZoBS2vDortqhRz7+3LMmv54XtHz5mpnqT743oXcNjzjCJOakhGnZZHh35miVX/ANNhA967CRKIKbnrC0w0fN5im/TcrrR7f2kJJCvCddvnTpllnUKpeUvLRbageCmwoJIWehAotuX93J/AhiA8KPSnTljNKm6H7kHl3Oqsnzq+ehc91ES9hipCF0aOSdoW7zNSgFcEK4SeH6b+ZhEuEG5JRJjMxiuCbNzaCES2cQWXt0ZxIlq6vznWW4fqiBYK6xOZAAXTueI7nS4GGAfTkT9+EItPb+79/B8VkuGoptXgYVvdI5i5nNiXUTn80sdf1BqNC9FCtad2BD8Qp7v8Utp5KfFgvaElVhZFAitFZydWSQnCL9qExW1SRIUMTqzLBkqadV2IEKgTc7hZSXs60Vl4lIcdDaHFctnqTz4jLgHSkdnA3ayi8uRAKnei7Lib+/OHyEQzancgWHk7H+c1p9SOtXcosJixDcbNKEubfg8zp30vr7ozLkcnxsf4QSjisil9I8dWWZIYWq0bVxwkKOcoz41iy9XSA2Sderlj/2nG8oJQkUd2WSTnaROsLOINi2OZBMSv4cs3xSrMrzopg1d97JVX6JOHDK1mFVZFlZIf14pWgiIvvb1d9oOacLTfh6xkJ16wqvk+zszPgiSHQi/VdOAbz4PnhK/7RaEUXHOrswRd++iGgMS9K8WdinRs4btcrQjnf4xDJnX2NZ2js429QfhGt5mrXC3ZXo+8an0xFrGUxqt7w+5V40zjgy4Ksj+QZHCJxW1e10ias7Mw3NJAelGY6HhMBVYX5xNuBLqJESM8CywrnmCDbXMuIeCb5/R+TfswwXSqQz15KLFBvm2gk5yHGW1uK4qM4TJEwRGYFIX8DzUTW9Jy07Zc7A4E+TbM4naLSDg6+9tO1vjU71/O5L2/zr3aSVwWDQy2zvvPCtR1d7LgoeXzVliulFTmMMw1qa7A1w66+Ks3fCbbl3wrW0PoFpbou67/rA+1qEfcWkkXZuDJN+HPXexNGKP2DajYPOec01coeQeo9WaPbhRivkon1qoVFMpQDLvT1aaUcRNI1nlWE0iRM8zbxNk4+epA7N6vZ5t/xDL3EJzR0quXTWHYPhTWsE91a0vBbuDZfvwbMF3qAatADuJjuVrF7BN7MAUgbZS6wV20qqBTgWojK/uyEYrfuyltJl5tV826Ct+W8eRW/XBc+yuXZO7uPHVEW00Ba7h4IbcKZTBgT2vt6dvOmfvHM7uF75X3OZn8ntZ7sxdr4TjlWa1vPhKtzppDERDtCz2URfhWW6KL6kk9kKJm+CoblMH0ynsguMAz7b4pwzmujOhkZuHQkRl2Wzqf1g2aUJbs/EEzHkI4++tPYDbD4W4o3WuRVhjcQbK62Zg4yMloZkeOt1cI6+tga3cAbXWqmLrmRuotlgg5d9eyRyPIc9duR4IPOWU6rNQisJwqykTAmJTmO2idfupYHVZaKZ/Jx+yjibzo669j1507Xw8VVss+Z17vbfnwDqJUkYrjFRtnpeBAM+O15BIguR/RzJNB9pRKCkB2jhO3oI9D6qtIvaNA2FcBkoNtx+LP1+3MmX1jXvrfNFZ/Nj0bu87gult2g8aPB71HOzsr998PbYZwyTYKNpuqyD0LKq2FkPnK2Or1NcG1HElMBFIraYykaoLEjWNnGtUXDDZW4ZceyLwU+jlNvrcG9u/7eE6G3LD6TCJcmfea0nGifILZ/N0Rue/JLe1pyhPZSJb0fKSOd5oR+x7NY3Se1TUXVS16WyVRKEJ5a1hE5nIu1K3GrFzxdt3jWmi74bf7uGi3k5klDF9g3A+hiHdAebzEPYoAGLlG8q+GhvHbZHTOwxYdZdRZInUMfH8xJOHGnoWcc7IiWac0jaE8ddv9+5w1lWpUktoW4oUivKZJYhvEzTY2jskVx1x0f5F8lZigtJJLWUyXIqtVj1kUSUWKpspkRKfNLVTjiVC/TgmasHc6PGQ0bkH/y2WiwDcwuAkjMB2ahXMHhCbcbQMuidpVV9NwfDoJojfyRfvTKDZe/yHJe/S4oPEhiSWbLE5Veqln/ZQp7A88LocqfFShxxbT0Ndwd+fP2R+H7NOnzVOMgIhScI6IOJjbXfWVInQbgLDJEmHvxj903EPjXr3OQ8EEjgzjAqb5rn2YVkh2gZDmYFDqdq5Tu03ePjgxucCCRSgnsm4KQlbFwp8XMOpffuAh0CulV7jNuIcz82vbRXWJPolMwv4daj7oOxXRYmXUXoqLrpYllf2wtz2qqPtXVXnNbanLsyVgXPPC7ykvoc5+lpzRE392mznYQ3UGrvu3C8lTNr3V3gm/2XgTt3geOmW3MfuJmHo8i/FFwvAYcc4p3Se8rmolZ2hFdmUT9tXKaqRSIo/AFXnG/PksWveiI+Wqt4+sPCjbWbD0oEZms4d91uqljul3Blc32TzVi+pW1gKThaWKPNwEjR0QOkwD710Tu+t/DP7i3aB/f6juo18ou68ZpDgroJW391S+aWAbgVWLDxnT9H3h7VWtgOsKYR4IExpVJ8g8QWE/DR8TWQ10Pt4RyH+aM4eLTIae+jDf1ksLymknppK3YjvmBitvH+w+7ePl9NWGYQsGlnsVEnJ/NiegHVWyxcen8ljS89KYoLTaOTwRw5hwkPa3/fKzBNSuRRIlaCi7oQmXAtugcqYXeQtP/EWmbTnHpI3IQjg2lTZFuzJKOZSxKy4HVB43h1mBMP5Itb8e/ENibV9dYtBiGHjTgcopIgEbl0M2PlJdetiTNLFCVuVjELjyW8yeR0RZOfTiYmYTrLhnorPQ1VnyL5lMmoThi0Py6TEptUpeBwd+08OzGwPtFPfUMyIBsM5cUbdpxBYomDJntbE+StJ8ecDkgiH+8XDEvO3aK0p701jfGtu1rWBJDnLHoxkze9Rnzy9HxifoYRn3Uw+0a2vL7MZmcc2Fj/PlsMkOEkOOUryEyS4BqXTp4k0PkgP2gaMAO+4gtSaSpoBSJNxVlO6pxlQNJVC9gMjR444yaS0UHRN4u+djASlXm/s/0hDvb23+BKj8Hw+ebfYvp8vvndEGOSBWBkig0w8wqzXNXZtOrLFnWY773efrezB7ZSQmoJNwcvaQOADPQkyGJz7CtDRbmaaziMeEOhgmj62zjgsLrh4CX1Du1P3u4qxMNH3JUNFvOqjWx29XxjdXJdawoIeUnrIJ3zy6F92eGyVHi4ebEWEN71wDlq5HB4XyYSuxCyHC20JU88SRqXO4vYucSZbcihNX7BPQFZ9f2nvVgC64DI159+GbT2OI2JX80SvhX4S5KJcarnNmC3E0Q5qONavc5UN9GM3eKkYLvSQnzJkl+nk8zSKz6gsl/bkYWTeWZNV5crz/+LxFETZtBhWRS1uoB5hiWjkCDdPzbqnd0WLAoFN1cTjkRHqDgIF5cGfYe/kapFuH8JUVZHuMv2hENmP8TYW+pvX1jx7ZdKtQ1hluL/OD7+O/r5wzNu8FmZXD4jjutPO08yxH8MTrWBUPJ38J1isL733XTduZLC9IRaoWUBdslIwg1QOuLDR/ydChgoODA2kR6P2RwbovYzVoSR5J0wjd3eaOdAhbP6IiM2uLYLaBRVas9+aFYzfVoNuDp3TCduzP/GFgVjvtTL9isyd3Sz1WKHPzgk3NgpwCXywuIqlj0YKfUzsW4Q42gLfp9XOXYetfbnrfgEoQ57s3xwQzgZ6L0lJCuJ/Z/9lOoCMF1HFLeaPUiL+rQSeznpaaVSRdsxgPCKx3HwePBbkeWhi9lbpL+EK5zareCgg4u5CgZnf8j9fNitRYjgV0D4m+397cmb3c+8lfQkQqbGpIbUljuPG8Ic9FtqeFnq7PEsOrHWw0huPQujwSz7Em69fDnYxEWHWrqG95emfApxJHSWcY4NZ06ifSjLbv0JFW1fywUbAXYmUDTtTW5W0PfgCaTAdrOBNuKb2Y1woSEqwc0Ki0j2JWXnOFsmYj1LQLI/9EFJrAn7Y+MGN+sM5YfocZnOV/hcJFdL4kFb+M6nP+56+dx9iQcv2g9eSjPO07N5cQLhBE7VM1zpXczx+HQ6CHabUwwN/4oNpomCXqlLXMtsRjapyMOS1ZH0Up+bXG64AKHByMOSuf1LGdq4VRPs7prZ9UWfOs6FZXLcANthbCqtibG19ba8elrpgXWff33d7NTFZU82JaGOrtH3DvBesh1z+qd78Mdr4uX/SRPrUkSZQX0lsjo9/lcm6nQqFd/xaRZTkaOonaD+NIEyUyn9X/kHmGxsVTc1TMNxOLiX40RktLJxoN8mRl3WYMxrUrtBovbfwOF0mXZO0V3xeUZiJxPmJ7Pw7QD8IWzIPryKothLM3Bvna1uHe6y5ERvl36O0n7Jl/0lX4QGTNTpjl/yZWjARN0Q0RvxcQIOtHfz3fg+XzrPX+pzwSye6pSHV4NFmuQ49T4OtxD6F8Huse7o5NXdxybd87KWUq6ig6ZhRy34oygWra1Or6u0BvllWdTFtJg3XPNkniCrmb18ct2lh/+/wH19veJrclKIDJKVwZSEzVKzHXPTMIXmTZDdNMm/wDrnXEuzcLYPJw92t2tIgkpCTkUqr3mI27RUatbOsaEd4UwnHL4kJyQYUgA7suRCoV9nrCEOmtasFsnteOlkjSnjMZpGsymMAImGeEmkoBmDBJayyk7C2BxGPemQXlHn9OqsTK+DcNM4FEA2LF/mVVZf9wnjjaFAxV2SafMKrLQygvquvR+Y3pOIkt5bc0AbkVb2LRP7b81kJKcwFJj0dKQ4z1NYdVmyzisc1R9jDnDnKs/5mP+FeYpwRa9QdJOvZAVKUNV15gtFSuqE9pR3l0Ij1O2/HUjHQjPzmTv4cQcVgx933+1+2Nn+zHdxc9VoXUcaauh2oWm4LWFG9/cB7e/s7TtdMOpUN92i6ZGxEXfxI1khm87awA6pqbkWDYOQOPmux67NM0T9bH6ny2J6bjIFVylyKfNXNTh46rRn7uBjvZpUWES6b184DkJ4AtMN2kLPksUiaR5uDv4G4NW0YVPKmNhhyMWO7hK8cSkzbuCCDT8O9up0+e5zWNGHpIIYaossuQbJ6gz2VZ6igXEfyWqcFyT0I8szY8BhTkACPEDs8Gfmdr46PeXjwsw6JJidcaXOQT8tn0ZJWIOuDfroW/Z3eSjCrtGcnS7z0tygjHPVq3mn8ryc2FcDxZBtCBFSbWSNBWXq1kxzUg7gaDVQfzJPSM5eJPkqmU8w+hD/RDb2h7paF6EmO9dzG5G52aGq2D5gwvxgDeCYHZgXQ7HXCSVGQh1j/CMrQJ6D/jldlYYMOUtX7pR3oyVxf3sIv5NdunZQY/vNkRFMFiniXn4eFyZydgFwvKxkZ2govx2Cgcu2IRe2WMcB1ziKHPyYhaivnDet0zSgUs4+UdK3CXbgYnktlMGhmdetCnaeOR+inFaCi6IuJjlpTixs97TBVjiWXdbCA9m03wrino4FRlanOC39JADqeWCu2Gwpsg1IqGNAey6SrwrIZ4Ezfb6BT4oL5+vmEAAvTKbTVZlMr/vYIcvT69lhL9vr4XXDzU0Jc2CG5fOrYrkxtH0I9Dah5kAExBoNg91opCNzrJ6jxx0G0VlY6ZdkbrA3LUpih8xWm3XFROgmGqq6dGsG3n3jkrQBT/NrKM7pSTRIyjNSCGDDmS5XckyeZJtqRUSgtOBNHOGMM5AYsDLH0hFnJ0vzL1lZ5ODbYd90tLSn4uS3tB1k8g851yHnds+JqomyaRpNwlRzZTcsaoMei+iS9nTIT2ZPcH0fakvko7c39kIH08PJRI+UTCacnHrKSgX8bK03y+v6nG8Ito0N5JEpFrbSjxMwHj2rI3UZupdKnPPx0aYXCA7KV4uJvgi5lB2U16Z+cfy313deWuweQiYkHLRuojhq2WydUXtG2F0GvNOKElsm5gJWNmhggAMEa4nYJk6HUbv9Mxj4j5oUP3BnAAFSn2OifNaq1Jgi2ZChOeKQNbvcqkVx4R6q4pNTenDqAYT3eZVbWPYMu0vRo2Dv/cf/3Jnsk5w4HppjP1l+Hbzehec1bmyweMe2VQg9RVF7lMr9RHBGNVDoGHR4+KgBLy6nTUhXTV5z5yGSOzEULwkDP/IQRVQuD0F5+MKUndTJZJaxJ7zTBzMEaQxFqb2Wr+zwka5CA4W9DfbpM22y6SX3zr4ngLfO9K1IfCmJjYb62pyF9HTiZv5qce82c+nInkf+jN6YQwdsWyEdkdAB+ZGXUVpusDrEEiXypLJkWeBgDD+XHO/1jJemUZM5P1w9q25vtSQESW9ycYEtknT5sY18YYKOj+gebnoifD+0sUSMjY6ZV8W4QYGPf9qfCD7Km52K7Q1eiKN0Y0AErYFYYYgKGsFMKh9+MV4Q0ROTdBeZXRzgnwYH2Avoa6S8Hl9NJKLM2XVrkBfpdYyUp+wANh3AXlJ53kBNCGMWvfjgQtQzqc3lBU/pty9cMaRGlKbUJ0lkxsYc0mFXOWyR6UwEJOASHQbEKPghGKojlYHyMf3QgDAXjLomaR7ZAY3lSHYJQzBaxxqRNiEScrB85FAKffiPQSAccmJ6dOstUG2vWQ5mZXGk3v1LosklbRKHvE/KCw4nrMU4D+5ADbO6JAS/nK8cy4ZH8ZJXjhPWorycg8FGzJTiczFLA50V3HTUXJGZXnPeGzkqrDWRyvp6PE8WJ7MkuBgF4cUBfKwXejMm73ow7BkR8pz2w1S0zv/Wkfw3fecAbf4mbjQ41Ra3weXN5S095ygs3MdLJIleRFrcjAIKOys3Ah1T9t8G5sbGBgoiJSNmz1QfRo4ilKk0Bvgp7dtQT9LwgDpxdVOZDlT+6hdk07LD/XH0+8kTTMSTJ1iIrgSXzvk+mQPODm7o8ujgMUo/PjrIjkaDrdPb4HC1uXkyDLwiRIZNCe3FhcGBwyp4+GbdnwKxNzyc217Uco8aDBpmwMq0nV23H5b+j/we3PrbOU0GYomkEe5SJHmr8fgwZzLVUYIFMMXePH6mftNFsgx5I+C2oug20EadwIx5UU+sZpFcxUFrYTXurb5F5ritdJUZBeFLpZTICieyDUpOASgNWEsKV4wWGc4WO+M4oYUVS9wWegzb3qxo5fn/mlUmdIWdoUtqDcXaPRE5vuqEk5C0VqZh2pG/QV1iWcqI7jv4wANucXhu7MAw1KOD0YbPeZm599Zg3tqpIPgcB8nVAPMbGh4G+MgoVV6k5fjwUcHWBxD1mFkDRn9LWEAPb6QFs6IIPi+Yb/z7c6gB2EcnJ2l9mRIjcBsKNtBx/f5UvtOMFOUY3WNhln9iN0jmy/NkvDnYetm6luFe6cDcKrx+B4/b4gNrdJ7849BLz+mONhZb0kUsp2DuH5wZG8FDnoorwTypGghpl7USXiGgfMwBOBJvHwHytS3qK+HhN/y6zup5iinkwQQ3/NGE4FJ7uBAzNP143jyfp2dgb/NiOoZ/5jIVd0ha2uAiiSLYz4h9+7e+JvM5BykGVZbjSLSmyOLD2BIgXg3u8Z33Or4lpxtuyhwz/AHttqcTvqISHnEfGIyWLjDXbOEGT3XhgDptU39+jpW0TDuuT8kdKCL1d8Mmm2NzY6DJbfuS5LqMs/237rP9M9O11IUkH5xI4+FyvV9QU6lKrsUit0Epmt9A3YRybSsSqtqkjFvfXW1917r8VhL3i9eOz7zAf3GGcwZ+AMpAPeHwW0maJlo6NsO2xrRUhWTEAM4R1rJ1hXiUDTiDqwCHOt0bBEak1A5fXA1faCu05wcZFYAxwO/kVsbzSh9PccmUuhj5J/gALs7CwBnC0kBg0CrbbC0BQC9cXMqV6+cpFtqLqxd+WwJ8Bky84JKDl5L8jXZ/TufBPhseamaCm8BaT4mFqOts2WPC16Xzgm1bCtdlCXtKnp+YOtfeDr1/nj6EktGhD9ZZS3t+MIJrb3RsE0JKXefGT3kgUTvfwbcbrbkv+ZUUDb6ngSQ0kBNghRff48pLHEpvOPF0Urdc+O1yicnTbUYk12XgqDu18RyJRlndg1OZPoyHRDO/mC5HXiLXeUEIYokH4d0j2zAnlOQbtuXcluk4P9fuBsmgIfyXExcz3zNiDDAoP9/35IntsJIegjBQZWW3RuQ+9Dth3thMRUnlplCwWYo0OM1JgmtjbVpqXCePByfuetW67VkvG/l9lZF6ikNwTpQUqC90r5WKmQwZp5UfWOKkSWodT5EDJp0TKqJS35dY8C47f4vkjbnfMM2utR99H7VvgQlMHidGqb9aW/e3m82IKUTSwxwfAyjCCoh+46C5qQVH/MC6iLkgUM4e3UjNVR31eYlbCYROPY5sdriGhrWxBGvTYUdOil7cAcx1B0725OPj6FUXhtEKcIrQgjCRCsb/HNCMyDkRPH3RpOkxuVBfMDZlZ7hMZYGZpkyiZW2pm23Z5L2vTLdftLotuT/NGTgY0FuZg4+PR4SLK/o7Jg7hLjxzPOnFY7PXsNsWc4F9kzPFLpecv8ffH4gHKS9t7djHOIAploTGJxOcFewflklsgmAKZDnE5GvuqFIa46iZ9cQOAmpuO+9bbLovVeyYnokIgKvVHTuzl+/fOwVrZxlb3fHxEpSOrQpQJif2CvnJSbiM5Mp3jQuBFQ73BWlAsO2Y9EXjXgzJgAY0DQ9nb5YL6E2aICwa2w9Ol6V5h8zsUN8GwUfNfpkpmbLBK+CDa1hZyLF1jTOVCEr59kgZtps/85UhnbS5HME2qxcmaZyPmwXbZGdIlnKT5nl2WkMM0PNXs0yYmSAi0aojdSfxiUWZEh476Z6I5DYprK2A4qBQM9nisFTTNM6BaWam/eYYsgzO286cy5w0XahOieroCW5Ep64y60bhLBdJAnKUYlBujirZYpUg64mcKnZ3QDOhMyL1+7KwOWzX3UBKWTivAvgtV3zzh6SPDKGSGK+oejU57KKsaveidcPDW4FpjufUCEMEV9cvouWOTRxaFJsoNW7KXsg+cFNNYV9wOXhkZkXoS3knyr3S3cIwTBVZtbih4/Unlk3WO3+joeWv3KuR0swlE+aZZtg1EkMjtdgRtrH22B+qF2+mEYfEPmUGbAiiVI2a7eiFtouLUn2ZRGpyGerD2pdGn/fOn7qQW0aiTqrFv5gtOlAI91+f15ORqSUuBJJEsmoi92VZYZ3oAWMGb80DM2Cgs8eGBnEHbiSpMTLNXmidF3fVeeHVMWRINUFwaoPgeyFeDuweejDiC8VGsS3Pp90sUYw6TBeZ09rSAHiWbmrEV15KG/h6F3jtZ86JL5BhnShV8sPPXgx6U8SbhxPwV78YN3QEo8OCJAbcvUTET4TB8bU4MwMoyOa+pYnkYXa0XYFhnXUZjXo2FvlFBnwlkopeTYEH57gUCYZ8+jjyEvBYq+Eiy7PFaqEn2UjD5V8Ir3V8PxNEm4bcCNaefPEHinXVI7WELiJibdw5DrMV2aENv+OJHPYAblBsMt1fML6+j1w0Phd+aQEmcXASK7buAkrSAA2YcCS9i7zuNbTyYs0IaW4t/RwhZZw/PLnbYNMSE3UJsXreXuapTGBQIE0PDE0790FiXZfIVdcZq+8faGnhwgLGbdNMg1mH8L4XwgOfvSt1qvZ3rJ8dCC323Wk74aR8RvuDMXhipI7Q1xFj3XTusyO9h0F5ZzWdE07pm5VhdK9ytpFPjDwWJEkeZ+CQSMOtWK4x+aDbjGgwWSmyP2/KvVqg2cw2tKdCqBtDJclogO2bXaAbw6jxhw7dMKDTU+LOGbKFaSrwFhbWjXrfzSRCnM4CsleCGQR8Nww6m66MqT1ST5heeMhUi36QzH5LMNjAN3jYkxsqhbHhQh+COX9vs98Y7UKu3sSmlOV5KmKlnCn7NjgvyuyPIq9JdGKxkh5xws0pP/B0NNyaXuH8x3fyFSOiUioKqD5j974eYyOLs2cZLgg1gixsXL6NEZulMdD1xbcykLEiQ6hAv4vjHCzie+ZVz5uzIwkHO0IvR3VwEvl/ODoiivKfsUPHJ6dTmmVi+aFhnTNJee0CG+KjDQzkOboPmHfKmO8Tk97K6VN7CZdP049u/wcIqJcm"
import base64, json, sys, zlib  # noqa: E401
from pathlib import Path

if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():
    sys.path.insert(0, "..")  # running inside the repository: use its files
else:  # opened alone (e.g. Colab): write the packed copies next to the notebook
    for name, text in json.loads(zlib.decompress(base64.b64decode(PACKED))).items():
        Path(name).write_text(text)

# %%
import json

import matplotlib.pyplot as plt
import torch
from IPython.display import Image, Markdown, display
from matplotlib.animation import FuncAnimation, PillowWriter
from mnist_lab import tqdm  # tqdm.auto, quiet when ipywidgets is absent

import dcn
import mnist_lab as lab

run = lab.settings()
WIDTH, SEED = 32, 0
UNIT = (3, 3)  # the conv5 output unit we follow: the centre of the 7x7 map, on the (centred) digit
DIGITS = 100 if run["smoke"] else 10_000  # test digits the measures average over
device = lab.pick_device()
results_dir = run["results_dir"]
results_dir.mkdir(parents=True, exist_ok=True)
clock = lab.Timer()
print(f"dcn {dcn.__version__}, torch {torch.__version__}, device {device}, smoke test: {run['smoke']}")

# %% [markdown]
# ## The models
#
# The experiment notebook saves the weights of its seed-0 runs. We use its 32-channel pair: conv4 and
# conv5 are `DeformableConv2d` in the DCNv2 model and `nn.Conv2d` in the plain one, everything else is
# the same architecture. In smoke mode, or when the file is missing, we train a pair here with the same
# recipe for one epoch (on 2,000 images in smoke mode, on all 60,000 otherwise): its offsets have had
# little time to learn, so its pictures say little.

# %%
test_images, test_labels = lab.load_mnist(run["data_dir"], train=False)
test_images, test_labels = test_images[:DIGITS], test_labels[:DIGITS]
weights_file = results_dir / "mnist_seed0.pt"
models = {}
if not run["smoke"] and weights_file.exists():
    saved = torch.load(weights_file, map_location="cpu")
    for kind in ("dcnv2", "plain"):
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        models[kind].load_state_dict(saved[f"{kind}_w{WIDTH}"])
    source = f"{weights_file} (seed {SEED}, width {WIDTH}, trained by scaled_mnist.ipynb)"
else:
    train_images, train_labels = lab.load_mnist(run["data_dir"], train=True)
    quick = 2000 if run["smoke"] else len(train_images)
    reason = "smoke test" if run["smoke"] else f"{weights_file} not found"
    for kind in ("dcnv2", "plain"):
        torch.manual_seed(SEED)
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        lab.train(models[kind], train_images[:quick], train_labels[:quick], 1, SEED, device, desc=kind)
    source = f"quick training here ({reason}): 1 epoch on {quick} training images, seed {SEED}, width {WIDTH}"
print("weights:", source)
for kind, model in models.items():
    model.to(device).eval()
    acc = lab.accuracy(model, lab.zoom(test_images, 1.0), test_labels, device)
    print(f"{kind:>5}: {acc:.2f}% on the {len(test_labels)} test digits we use, at x1.0")

# %% [markdown]
# ## From offsets to sampling points
#
# `lab.sampling_points(model, images, unit)` follows one conv5 output unit down to the input, using only
# the layers' own geometry (`DeformableConv2d.deformation` and `dcn.bilinear_sample`):
#
# 1. conv5's `deformation` gives the 9 absolute locations `a` (kernel grid + learned offsets) at which the
#    unit reads conv4's output, and their masks `m5(a)`. They are fractional, on the 7x7 grid.
# 2. conv4's output at a fractional location is the bilinear blend of its 4 neighbouring units, so we read
#    conv4's own sampling locations and masks at `a` by bilinear interpolation of its `deformation` maps.
#    The regular part of a location map is affine in the position, so this is exact inside the 7x7 map.
#    Where `a` falls outside the map, conv5 reads zeros: the point is placed on the extended grid (with the
#    offsets of the nearest border unit) and its weight fades to zero within one cell, as conv5's reading does.
# 3. This gives 9 x 9 = **81 points** in conv4's input, each with the weight `m5(a) * m4(a, b)`, the
#    modulation along its path. Two 2x max-pools separate the 7x7 grid from the 28x28 input, so a 7x7
#    coordinate `p` is the input pixel `4 p + 1.5` (pixel centres at integers; a cell covers 4x4 pixels).
#
# The plain model goes through the same code: its convs wrapped by `DeformableConv2d.from_conv` have zero
# offsets and unit masks. Its 81 points (many coincide) must be the fixed grid `13.5 + 4 (a + b)`,
# a, b in {-1, 0, 1}^2: a mean distance of 5.813 px from the centre and adjacent points 4 px apart.
# `tests/test_sampling_points.py` checks these numbers, and that known constant offsets give the
# hand-computed points exactly.

# %%
# NBVAL_CHECK_OUTPUT
centre = lab.to_input_pixels(torch.tensor(UNIT, dtype=torch.float32))
plain_grid = lab.sampling_points(models["plain"], lab.zoom(test_images[:1], 1.0).to(device), UNIT)
print(f"unit {UNIT} of conv5 is centred on input pixel {centre.tolist()}")
print(f"plain: {len(plain_grid.points[0].unique(dim=0))} distinct points of 81, "
      f"weights {plain_grid.weights.unique().tolist()}, mean distance {lab.mean_distance(plain_grid.points, centre.to(device)).item():.3f} px, "
      f"effective dilation {lab.effective_dilation(plain_grid.points).item():.3f} px")

# %% [markdown]
# ## The sampling points on the digit
#
# Each row is one test digit, zoomed x0.5, x1.0 and x1.5, with the 81 points of the DCNv2 model's centre
# unit (colour and size: the product of the two masks along the path; grey squares: conv5's own 9 points;
# cross: the unit's centre). The last column is the plain model, whose grid is the same for every input.
# The thin frame is the 28x28 image: points outside it read the zero padding.

# %%
EXAMPLES = [int((test_labels == digit).nonzero()[0]) for digit in (0, 2, 4, 7)]
SHOWN = [0.5, 1.0, 1.5]


def points_for(kind, image, scales):
    """SamplingPoints of one image (1, 28, 28) at each scale, on the CPU."""
    batch = torch.cat([lab.zoom(image[None], s) for s in scales]).to(device)
    found = lab.sampling_points(models[kind], batch, UNIT)
    return lab.SamplingPoints(*(t.cpu() for t in found))


def view_limits(*founds):
    """Axis limits showing the 28x28 image and every point of the given SamplingPoints, with a margin."""
    points = torch.cat([f.points.flatten(0, 1) for f in founds])
    return min(-2.5, points.min().item() - 2), max(29.5, points.max().item() + 2)


def draw(ax, image, scale, found, i, norm, limits):
    """The digit zoomed by ``scale`` with the i-th image's 81 points of ``found``."""
    ax.imshow(lab.zoom(image[None], scale)[0, 0] * lab.STD + lab.MEAN, cmap="gray_r", vmin=0, vmax=2.5)
    ax.add_patch(plt.Rectangle((-0.5, -0.5), 28, 28, fill=False, lw=0.6, color="0.6"))
    ax.scatter(found.conv5_points[i, :, 1], found.conv5_points[i, :, 0], s=60, marker="s", facecolor="none",
               edgecolor="0.5", lw=0.8)
    w = found.weights[i]
    dots = ax.scatter(found.points[i, :, 1], found.points[i, :, 0], c=w, s=6 + 14 * w, cmap="viridis", norm=norm,
                      edgecolor="k", lw=0.3, zorder=3)
    ax.plot(float(centre[1]), float(centre[0]), "r+", ms=9, mew=1.5, zorder=4)
    ax.set(xlim=limits, ylim=limits[::-1], xticks=[], yticks=[])
    return dots


found = {i: points_for("dcnv2", test_images[i], SHOWN) for i in EXAMPLES}
plain_found = points_for("plain", test_images[EXAMPLES[0]], [1.0])
norm = plt.Normalize(0, max(float(f.weights.max()) for f in found.values()))
limits = view_limits(plain_found, *found.values())
fig, axes = plt.subplots(len(EXAMPLES), len(SHOWN) + 1, figsize=(2.3 * (len(SHOWN) + 1) + 1, 2.3 * len(EXAMPLES) + 0.4),
                         layout="constrained")
for row, i in enumerate(EXAMPLES):
    for col, s in enumerate(SHOWN):
        dots = draw(axes[row, col], test_images[i], s, found[i], col, norm, limits)
        axes[0, col].set_title(f"DCNv2, x{s}")
    draw(axes[row, -1], test_images[i], 1.0, plain_found, 0, norm, limits)
    axes[row, 0].set_ylabel(f"test #{i} (a {int(test_labels[i])})")
axes[0, -1].set_title("plain (fixed), x1.0")
fig.colorbar(dots, ax=axes, shrink=0.4, label="modulation along the path (mask5 x mask4)")
which = "smoke-test model" if run["smoke"] else "seed-0 models"
fig.suptitle(f"The 81 sampling points of conv5's centre unit, in input pixels ({which})")
fig.savefig(results_dir / "sampling_points.png", dpi=100)
plt.show()

# %% [markdown]
# ## Does the receptive field grow with the digit?
#
# Two sizes of the 81-point pattern, in input pixels, for each of the first test digits at each scale:
#
# * **mean distance**: the mean Euclidean distance of the 81 points from the unit's centre (13.5, 13.5);
#   for the plain grid, 5.813 px;
# * **effective dilation** (the DCN paper's measure): the mean distance between adjacent sampling points
#   of conv4, i.e. the horizontally and vertically neighbouring points of each of the 9 inner 3x3 grids
#   (108 pairs); for the plain grid, 4.0 px (one 7x7 cell).
#
# Both are unweighted: they describe where the layer samples, whatever weight it then gives each point.
# A receptive field that followed the digit would grow 3x from x0.5 to x1.5.

# %%
measures = {kind: {"mean_distance_px": torch.zeros(len(lab.SCALES), DIGITS),
                   "effective_dilation_px": torch.zeros(len(lab.SCALES), DIGITS)} for kind in models}
for kind in models:
    for j, scale in enumerate(tqdm(lab.SCALES, desc=kind)):
        start = 0
        for batch in test_images.split(1000):
            found = lab.sampling_points(models[kind], lab.zoom(batch, scale).to(device), UNIT)
            stop = start + len(batch)
            measures[kind]["mean_distance_px"][j, start:stop] = lab.mean_distance(found.points, centre.to(device)).cpu()
            measures[kind]["effective_dilation_px"][j, start:stop] = lab.effective_dilation(found.points).cpu()
            start = stop
rows = ["| scale | DCNv2 mean distance | plain | DCNv2 effective dilation | plain |", "|" + " --- |" * 5]
for j, scale in enumerate(lab.SCALES):
    cells = [f"{measures[k][m][j].mean():.2f} ± {measures[k][m][j].std():.2f}"
             for m in ("mean_distance_px", "effective_dilation_px") for k in ("dcnv2", "plain")]
    rows.append(f"| x{scale} | " + " | ".join(cells) + " |")
display(Markdown("\n".join(rows) + f"\n\npixels, mean ± std over {DIGITS} test digits"))

# %% [markdown]
# `results/offsets.json` keeps, per model and scale, the mean of each measure over the digits and its
# standard deviation.

# %%
offsets = {
    "scales": lab.SCALES,
    "models": {kind: {key: [round(v, 4) for v in values.mean(dim=1).tolist()] for key, values in m.items()}
               | {f"{key}_std": [round(v, 4) for v in values.std(dim=1).tolist()] for key, values in m.items()}
               for kind, m in measures.items()},
    "config": {"digits": DIGITS, "unit": list(UNIT), "unit_centre_px": centre.tolist(), "weights": source,
               "zoom": "black_bilinear", "points": "81 = conv5's 9 locations x conv4's 9 locations read there",
               "mean_distance_px": "mean distance of the 81 points from the unit's centre, input pixels",
               "effective_dilation_px": "mean distance between adjacent conv4 points within each of the 9 groups"},
    "environment": {**lab.environment(device), "wall_time_s": round(clock(), 1)},
}
(results_dir / "offsets.json").write_text(json.dumps(offsets, indent=1))
print(f"saved {results_dir / 'offsets.json'}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, key, label in zip(axes, ("mean_distance_px", "effective_dilation_px"),
                          ("mean distance from the unit's centre (px)", "effective dilation (px)")):
    for kind, colour in (("dcnv2", "C0"), ("plain", "C1")):
        mean, std = measures[kind][key].mean(dim=1), measures[kind][key].std(dim=1)
        ax.plot(lab.SCALES, mean, marker="o", color=colour, label=kind)
        ax.fill_between(lab.SCALES, mean - std, mean + std, color=colour, alpha=0.2)
    at_one = measures["dcnv2"][key][lab.SCALES.index(1.0)].mean()
    ax.plot(lab.SCALES, [at_one * s for s in lab.SCALES], "k--", lw=1, label="DCNv2 at x1.0, grown with the digit")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel=label)
    ax.grid(alpha=0.3)
    ax.legend()
fig.suptitle(f"Size of the 81 sampling points vs digit scale: mean ± std over {DIGITS} test digits")
fig.tight_layout()
fig.savefig(results_dir / "receptive_field_vs_scale.png", dpi=120)
plt.show()

# %% [markdown]
# ## One digit, growing and shrinking
#
# The first example digit swept from x0.5 to x1.5 and back, with the DCNv2 unit's 81 points (left) and the
# plain grid (right). Saved as `results/sampling_points.gif`.

# %%
sweep = torch.linspace(0.5, 1.5, 21).tolist()
sweep = sweep + sweep[-2:0:-1]  # 0.5 -> 1.5 -> back, 40 frames
image = test_images[EXAMPLES[0]]
frames = {kind: points_for(kind, image, sweep) for kind in models}
norm = plt.Normalize(0, float(frames["dcnv2"].weights.max()))
limits = view_limits(*frames.values())
fig, axes = plt.subplots(1, 2, figsize=(5, 2.9))
fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.84, wspace=0.06)


def frame(f):
    for ax, kind in zip(axes, ("dcnv2", "plain")):
        ax.clear()
        draw(ax, image, sweep[f], frames[kind], f, norm, limits)
        ax.set_title(f"{'DCNv2' if kind == 'dcnv2' else 'plain'}, digit x{sweep[f]:.2f}", fontsize=10)
    return []


fig.suptitle("81 sampling points of conv5's centre unit (colour, size: modulation)", fontsize=9, y=0.995)
animation = FuncAnimation(fig, frame, frames=len(sweep))
gif = results_dir / "sampling_points.gif"
animation.save(gif, writer=PillowWriter(fps=5), dpi=80)
plt.close(fig)
print(f"saved {gif}: {len(sweep)} frames, {gif.stat().st_size / 1024:.0f} KB")
display(Image(filename=str(gif)))

# %% [markdown]
# ## Reading the result
#
# If the deformable layers adapted their sampling to the size of the digit, both measures would grow
# with the scale, up to 3x from x0.5 to x1.5 (the dashed lines); if they ignored it, they would stay flat
# like the plain model's. Anything in between is a partial adaptation. Two caveats: this follows one
# unit, at the centre of the digit, through the last two layers only (conv1-conv3 and the pools are
# fixed); and the measures ignore the modulation, which can also narrow the field by weighting distant
# points down (the figures show it as colour). The numbers:

# %%
def profile(kind, key):
    """Mean over the digits at each scale, as a list."""
    return measures[kind][key].mean(dim=1).tolist()


distance, dilation = profile("dcnv2", "mean_distance_px"), profile("dcnv2", "effective_dilation_px")
plain_distance = profile("plain", "mean_distance_px")[0]
peak = max(range(len(lab.SCALES)), key=lambda j: distance[j])
summary = (f"Averaged over {DIGITS} test digits, the 81 sampling points of DCNv2's centre conv5 unit lie "
           f"{distance[0]:.2f} px from its centre at x0.5, {distance[peak]:.2f} px at x{lab.SCALES[peak]} (the widest) "
           f"and {distance[-1]:.2f} px at x1.5 (the plain CNN's fixed grid: {plain_distance:.2f} px at every scale); "
           f"their effective dilation is {dilation[0]:.2f}, {dilation[peak]:.2f} and {dilation[-1]:.2f} px (plain: 4.00 px). "
           f"From x0.5 to x1.5 the digits grow 3x and the mean distance {distance[-1] / distance[0]:.2f}x.")
display(Markdown(summary))

# %% [markdown]
# **What the full run shows** (seed-0, 32-channel model, 10,000 digits): the learned grid is much wider than the
# plain one at every scale (10-14 px from the centre against 5.8 px), so DCNv2 does use its offsets to look
# further. But it does **not** grow with the digit: it is widest for digits at the training scale (x1.0) and
# narrower for both smaller and larger ones, only 1.2x wider at x1.5 than at x0.5 where the digit is 3x larger.
# The peak sits exactly at x1.0, the only scale at which the test image is not resampled, which suggests the
# offsets respond to the look of the strokes (sharp vs interpolated) as much as to the digit's size. The
# accuracy gains of the experiment notebook therefore do not come from a receptive field that scales with
# the object; a wider, content-dependent one is what this model learned.

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
